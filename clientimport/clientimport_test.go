package clientimport_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/clientimport"
	"github.com/oauthreg/oauthreg/memstore"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

// testNow is the clock of the tests: the fixtures' secret expiries lie
// after it.
var testNow = time.Date(2025, time.June, 1, 0, 0, 0, 0, time.UTC)

func parseFile(t *testing.T, src clientimport.Source, file string, o clientimport.Options) []clientimport.Entry {
	t.Helper()
	f, err := os.Open("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if o.Now.IsZero() {
		o.Now = testNow
	}
	if strings.HasSuffix(file, ".csv") {
		o.Format = clientimport.CSV
	}
	entries, err := clientimport.Parse(src, f, o)
	if err != nil {
		t.Fatalf("Parse(%s, %s): %v", src, file, err)
	}
	return entries
}

func newRegistry(t *testing.T, st oauthreg.Store) *oauthreg.Registry {
	t.Helper()
	clock := oauthregtest.NewClock(testNow)
	reg, err := oauthreg.New(st, oauthreg.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func entry(t *testing.T, entries []clientimport.Entry, id string) clientimport.Entry {
	t.Helper()
	for _, e := range entries {
		if e.ClientID == id {
			return e
		}
	}
	t.Fatalf("no entry for client %q", id)
	return clientimport.Entry{}
}

func outcome(t *testing.T, rep *clientimport.Report, id string) clientimport.Outcome {
	t.Helper()
	for _, o := range rep.Clients {
		if o.ClientID == id {
			return o
		}
	}
	t.Fatalf("no outcome for client %q", id)
	return clientimport.Outcome{}
}

// fixtureSecrets are the plaintexts behind the fixtures' hashes and
// plaintexts: each authenticates its client after the import.
var fixtureSecrets = map[string]map[string]string{
	"hydra_table.json":    {"billing-batch": "hydra-client-secret", "web-portal": "hydra-portal-secret"},
	"keycloak_realm.json": {"orders-api": "kc-orders-secret-0123456789ABCDEF", "shop-web": "kc-shop-web-current-secret-XYZ123"},
	"spring.json":         {"messaging-client": "spring-client-secret", "legacy-noop": "legacy-secret-value-1"},
	"spring.csv":          {"messaging-client": "spring-client-secret", "legacy-noop": "legacy-secret-value-1"},
}

func TestFixturesImportAndAuthenticate(t *testing.T) {
	for _, tc := range []struct {
		src      clientimport.Source
		file     string
		imported int
		skipped  int
	}{
		{clientimport.Hydra, "hydra_table.json", 3, 0},
		{clientimport.Hydra, "hydra_api.json", 2, 0},
		{clientimport.Keycloak, "keycloak_realm.json", 4, 7},
		{clientimport.Spring, "spring.json", 3, 0},
		{clientimport.Spring, "spring.csv", 3, 0},
	} {
		t.Run(tc.file, func(t *testing.T) {
			reg := newRegistry(t, memstore.New())
			entries := parseFile(t, tc.src, tc.file, clientimport.Options{})
			rep, err := clientimport.Run(t.Context(), reg, tc.src, entries, clientimport.RunOptions{})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if rep.Imported != tc.imported || rep.Skipped != tc.skipped || rep.Refused != 0 || !rep.Written || !rep.Atomic {
				t.Fatalf("report: %d imported, %d skipped, %d refused, written %v, atomic %v; want %d, %d, 0, true, true",
					rep.Imported, rep.Skipped, rep.Refused, rep.Written, rep.Atomic, tc.imported, tc.skipped)
			}
			for id, secret := range fixtureSecrets[tc.file] {
				if _, err := reg.Authenticate(t.Context(), id, secret); err != nil {
					t.Errorf("Authenticate(%q) with the secret it had before the import: %v", id, err)
				}
				if _, err := reg.Authenticate(t.Context(), id, secret+"x"); !errors.Is(err, oauthreg.ErrInvalidCredentials) {
					t.Errorf("Authenticate(%q) with a wrong secret: %v", id, err)
				}
			}
			for _, e := range entries {
				for _, s := range e.Import.Secrets {
					if strings.Trim(string(s.Plaintext), "\x00") != "" {
						t.Errorf("client %q: a plaintext secret was left in its buffer after Run", e.ClientID)
					}
				}
			}
		})
	}
}

func TestHydraMapping(t *testing.T) {
	entries := parseFile(t, clientimport.Hydra, "hydra_table.json", clientimport.Options{Owner: "org-default"})
	billing := entry(t, entries, "billing-batch").Import
	c := billing.Client
	if c.Owner != "org-finance" || c.Name != "Billing batch jobs" || len(c.Scopes) != 2 || c.Scopes[1] != "invoices.write" ||
		len(c.Audience) != 1 || c.Metadata["team"] != "billing" || c.Metadata["tier"] != "2" ||
		c.Lifetimes.Grants[oauthreg.GrantClientCredentials].AccessToken != time.Hour || c.TokenEndpointAuthMethod != oauthreg.AuthClientSecretBasic {
		t.Errorf("billing-batch mapped to %+v", c)
	}
	if len(billing.Secrets) != 1 || !strings.HasPrefix(billing.Secrets[0].Hash, "$pbkdf2-sha256$") {
		t.Errorf("billing-batch secrets: %+v", billing.Secrets)
	}
	portal := entry(t, entries, "web-portal")
	pc := portal.Import.Client
	if pc.TokenEndpointAuthMethod != oauthreg.AuthClientSecretPost || len(pc.RedirectURIs) != 2 || pc.JWKS != nil ||
		pc.Lifetimes.Grants[oauthreg.GrantAuthorizationCode].RefreshToken != 720*time.Hour ||
		pc.Lifetimes.Grants[oauthreg.GrantRefreshToken].AccessToken != 15*time.Minute || !pc.BackchannelLogoutSessionRequired {
		t.Errorf("web-portal mapped to %+v", pc)
	}
	if !hasWarning(portal, "skip_consent") || !hasWarning(portal, "access_token_strategy") {
		t.Errorf("web-portal warnings %+v: want skip_consent and access_token_strategy", portal.Warnings)
	}
	spa := entry(t, entries, "spa-public").Import
	if !spa.Client.Public || len(spa.Secrets) != 0 || spa.Client.Owner != "org-default" {
		t.Errorf("spa-public mapped to %+v", spa)
	}
	api := parseFile(t, clientimport.Hydra, "hydra_api.json", clientimport.Options{})
	partner := entry(t, api, "partner-jwt").Import.Client
	if partner.TokenEndpointAuthMethod != oauthreg.AuthPrivateKeyJWT || !strings.Contains(string(partner.JWKS), "partner-1") ||
		partner.Lifetimes.Grants[oauthreg.GrantClientCredentials].AccessToken != 30*time.Minute {
		t.Errorf("partner-jwt mapped to %+v", partner)
	}
	if cron := entry(t, api, "reports-cron"); len(cron.Import.Secrets) != 0 || !hasWarning(cron, "client_secret") {
		t.Errorf("reports-cron from the admin API: %+v; want no secret and a warning", cron)
	}
}

func TestKeycloakMapping(t *testing.T) {
	entries := parseFile(t, clientimport.Keycloak, "keycloak_realm.json", clientimport.Options{})
	for id, want := range map[string]clientimport.Reason{
		"account": clientimport.ReasonBuiltin, "admin-cli": clientimport.ReasonBuiltin, "broker": clientimport.ReasonBuiltin,
		"security-admin-console": clientimport.ReasonBuiltin, "https://sp.example.com/saml/metadata": clientimport.ReasonProtocol,
	} {
		if e := entry(t, entries, id); e.Status != clientimport.Skipped || e.Reason != want {
			t.Errorf("%s: %s %s, want skipped %s", id, e.Status, e.Reason, want)
		}
	}
	orders := entry(t, entries, "orders-api").Import
	if orders.Client.Owner != "acme" || !orders.Client.HasGrantType(oauthreg.GrantClientCredentials) || orders.Client.HasGrantType(oauthreg.GrantAuthorizationCode) ||
		orders.Client.Lifetimes.AccessToken != 10*time.Minute || !orders.Client.HasScope("offline_access") ||
		len(orders.Secrets) != 1 || string(orders.Secrets[0].Plaintext) != "kc-orders-secret-0123456789ABCDEF" || orders.Secrets[0].Hash != "" {
		t.Errorf("orders-api mapped to %+v", orders)
	}
	shop := entry(t, entries, "shop-web")
	sc := shop.Import.Client
	wantRedirects := []string{"https://shop.example.com/login/callback", "https://shop.example.com/silent-renew"}
	if strings.Join(sc.RedirectURIs, " ") != strings.Join(wantRedirects, " ") || !sc.RequirePKCE ||
		strings.Join(sc.AllowedCORSOrigins, " ") != "https://shop.example.com" || len(sc.PostLogoutRedirectURIs) != 3 ||
		sc.IDTokenSignedResponseAlg != "ES256" || sc.FrontchannelLogoutURI != "https://shop.example.com/frontchannel-logout" ||
		!sc.HasGrantType(oauthreg.GrantRefreshToken) {
		t.Errorf("shop-web mapped to %+v", sc)
	}
	if s := shop.Import.Secrets; len(s) != 2 || string(s[0].Plaintext) != "kc-shop-web-previous-secret-ABC987" ||
		!s[0].ExpiresAt.Equal(time.Unix(1861920000, 0)) || !s[1].ExpiresAt.Equal(time.Unix(1893456000, 0)) {
		t.Errorf("shop-web secrets: %+v; want the rotated one first, each with its expiry", s)
	}
	if !hasWarning(shop, "consentRequired") || !hasWarning(shop, "attributes") {
		t.Errorf("shop-web warnings: %+v", shop.Warnings)
	}
	mobile := entry(t, entries, "mobile-app").Import.Client
	if !mobile.Public || !mobile.Disabled || !mobile.HasGrantType(oauthreg.GrantDeviceCode) {
		t.Errorf("mobile-app mapped to %+v", mobile)
	}
	jwt := entry(t, entries, "reporting-jwt")
	if jwt.Import.Client.TokenEndpointAuthMethod != oauthreg.AuthPrivateKeyJWT || jwt.Import.Client.JWKSURI == "" || len(jwt.Import.Secrets) != 0 || !hasWarning(jwt, "secret") {
		t.Errorf("reporting-jwt mapped to %+v", jwt)
	}
	// A later clock: the rotated secret's grace period is over, the
	// current secret expired.
	late := parseFile(t, clientimport.Keycloak, "keycloak_realm.json", clientimport.Options{Now: time.Unix(1870000000, 0)})
	if shop := entry(t, late, "shop-web"); len(shop.Import.Secrets) != 1 || !hasWarning(shop, "client.secret.rotated") {
		t.Errorf("after the rotated secret expired: %+v", shop)
	}
	later := parseFile(t, clientimport.Keycloak, "keycloak_realm.json", clientimport.Options{Now: time.Unix(1900000000, 0)})
	if shop := entry(t, later, "shop-web"); shop.Status != clientimport.Refused || shop.Reason != clientimport.ReasonSecretExpired {
		t.Errorf("after the secret expired: %s %s, want refused secret_expired", shop.Status, shop.Reason)
	}
	builtin := parseFile(t, clientimport.Keycloak, "keycloak_realm.json", clientimport.Options{IncludeBuiltin: true})
	if sac := entry(t, builtin, "security-admin-console"); sac.Status != clientimport.Refused || sac.Reason != clientimport.ReasonWildcardURI {
		t.Errorf("security-admin-console with IncludeBuiltin: %s %s, want refused for its pattern redirect URI", sac.Status, sac.Reason)
	}
	clientimport.Zero(entries)
	clientimport.Zero(late)
	clientimport.Zero(later)
	clientimport.Zero(builtin)
}

func TestSpringMapping(t *testing.T) {
	for _, file := range []string{"spring.json", "spring.csv"} {
		entries := parseFile(t, clientimport.Spring, file, clientimport.Options{})
		m := entry(t, entries, "messaging-client")
		mc := m.Import.Client
		if mc.TokenEndpointAuthMethod != oauthreg.AuthClientSecretBasic || !mc.RequirePKCE || len(mc.RedirectURIs) != 2 ||
			len(mc.Scopes) != 4 || mc.Lifetimes.AccessToken != 5*time.Minute || mc.Lifetimes.RefreshToken != time.Hour ||
			mc.Lifetimes.AuthorizationCode != 5*time.Minute || mc.IDTokenSignedResponseAlg != "RS256" || mc.Name != "Messaging client" ||
			len(mc.ResponseTypes) != 1 {
			t.Errorf("%s: messaging-client mapped to %+v", file, mc)
		}
		if !hasWarning(m, "client_authentication_methods") {
			t.Errorf("%s: messaging-client warnings %+v", file, m.Warnings)
		}
		device := entry(t, entries, "device-client")
		if !device.Import.Client.Public || device.Import.Client.Name != "" || !device.Import.Client.HasGrantType(oauthreg.GrantDeviceCode) || !hasWarning(device, "token_settings") {
			t.Errorf("%s: device-client mapped to %+v", file, device)
		}
		noop := entry(t, entries, "legacy-noop").Import
		if len(noop.Secrets) != 1 || string(noop.Secrets[0].Plaintext) != "legacy-secret-value-1" || noop.Secrets[0].Hash != "" ||
			!noop.Secrets[0].ExpiresAt.Equal(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)) ||
			noop.Client.Lifetimes.AccessToken != 1800*time.Second+500*time.Millisecond {
			t.Errorf("%s: legacy-noop mapped to %+v", file, noop)
		}
		clientimport.Zero(entries)
	}
}

func hasWarning(e clientimport.Entry, field string) bool {
	for _, w := range e.Warnings {
		if w.Field == field {
			return true
		}
	}
	return false
}

// checkRefusalInTheMiddle runs an export with one bad client between good
// ones against st, which already holds one client: the run is refused,
// names the bad client, and leaves st exactly as it was; a dry run of the
// good export stores nothing; the real run stores it.
func checkRefusalInTheMiddle(t *testing.T, st oauthreg.Store) {
	ctx := t.Context()
	reg := newRegistry(t, st)
	if _, _, err := reg.Register(ctx, oauthreg.Client{ID: "already-here", Owner: "org"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		src        clientimport.Source
		bad, good  string
		badID      string
		wantReason clientimport.Reason
	}{
		{clientimport.Hydra, "hydra_table_refused.json", "hydra_table.json", "legacy-md5", clientimport.ReasonUnsupportedHash},
		{clientimport.Keycloak, "keycloak_realm_refused.json", "keycloak_realm.json", "wildcard-web", clientimport.ReasonWildcardURI},
		{clientimport.Spring, "spring_refused.csv", "spring.csv", "expired-client", clientimport.ReasonSecretExpired},
	} {
		rep, err := clientimport.Run(ctx, reg, tc.src, parseFile(t, tc.src, tc.bad, clientimport.Options{}), clientimport.RunOptions{})
		if !errors.Is(err, clientimport.ErrRefused) || !errors.Is(err, oauthreg.ErrImportRefused) || rep == nil || rep.Written {
			t.Fatalf("%s: Run: %v, %+v; want ErrRefused and a report, nothing written", tc.bad, err, rep)
		}
		if o := outcome(t, rep, tc.badID); o.Status != clientimport.Refused || o.Reason != tc.wantReason || o.Message == "" {
			t.Errorf("%s: %s is %s %s (%s), want refused %s", tc.bad, tc.badID, o.Status, o.Reason, o.Message, tc.wantReason)
		}
		if rep.Refused != 1 {
			t.Errorf("%s: %d refused, want 1", tc.bad, rep.Refused)
		}
		for _, o := range rep.Clients {
			if o.Status == clientimport.Imported {
				t.Errorf("%s: %s reported imported in a refused run", tc.bad, o.ClientID)
			}
		}
		checkOnly(t, reg, "already-here")

		rep, err = clientimport.Run(ctx, reg, tc.src, parseFile(t, tc.src, tc.good, clientimport.Options{}), clientimport.RunOptions{DryRun: true})
		if err != nil || rep.Written || rep.Imported != 0 {
			t.Fatalf("%s: dry run: %v, %+v", tc.good, err, rep)
		}
		for _, o := range rep.Clients {
			if o.Status != clientimport.WouldImport && o.Status != clientimport.Skipped {
				t.Errorf("%s: dry run reports %s as %s", tc.good, o.ClientID, o.Status)
			}
		}
		checkOnly(t, reg, "already-here")
	}
	for _, tc := range []struct {
		src  clientimport.Source
		file string
	}{{clientimport.Hydra, "hydra_table.json"}, {clientimport.Keycloak, "keycloak_realm.json"}, {clientimport.Spring, "spring.csv"}} {
		if _, err := clientimport.Run(ctx, reg, tc.src, parseFile(t, tc.src, tc.file, clientimport.Options{}), clientimport.RunOptions{}); err != nil {
			t.Fatalf("%s: Run: %v", tc.file, err)
		}
		for id, secret := range fixtureSecrets[tc.file] {
			if _, err := reg.Authenticate(ctx, id, secret); err != nil {
				t.Errorf("%s: Authenticate(%q): %v", tc.file, id, err)
			}
		}
	}
	// The same export again: every client is taken, nothing changes.
	rep, err := clientimport.Run(ctx, reg, clientimport.Hydra, parseFile(t, clientimport.Hydra, "hydra_table.json", clientimport.Options{}), clientimport.RunOptions{})
	if !errors.Is(err, clientimport.ErrRefused) || outcome(t, rep, "billing-batch").Reason != clientimport.ReasonExists {
		t.Errorf("importing hydra_table.json twice: %v", err)
	}
}

// checkOnly fails t unless reg holds exactly the clients ids.
func checkOnly(t *testing.T, reg *oauthreg.Registry, ids ...string) {
	t.Helper()
	page, err := reg.List(context.Background(), oauthreg.ListQuery{Limit: oauthreg.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range page.Clients {
		got = append(got, c.ID)
	}
	if strings.Join(got, " ") != strings.Join(ids, " ") {
		t.Fatalf("the store holds %q, want %q: a refused import changed it", got, ids)
	}
}

func TestRefusalInTheMiddleMemstore(t *testing.T) {
	checkRefusalInTheMiddle(t, memstore.New())
}

func TestParseRefusesBadExports(t *testing.T) {
	for name, tc := range map[string]struct {
		src  clientimport.Source
		o    clientimport.Options
		body string
	}{
		"not JSON":         {clientimport.Hydra, clientimport.Options{}, "json_agg\n--------\n[]"},
		"object for hydra": {clientimport.Hydra, clientimport.Options{}, `{"id":"x"}`},
		"keycloak string":  {clientimport.Keycloak, clientimport.Options{}, `"realm"`},
		"csv for keycloak": {clientimport.Keycloak, clientimport.Options{Format: clientimport.CSV}, `clientId`},
		"csv without head": {clientimport.Spring, clientimport.Options{Format: clientimport.CSV}, "a,b\nc,d\n"},
		"csv open quote":   {clientimport.Spring, clientimport.Options{Format: clientimport.CSV}, "client_id\n\"abc\n"},
		"unknown source":   {"auth0", clientimport.Options{}, `[]`},
		"unknown format":   {clientimport.Spring, clientimport.Options{Format: "xml"}, `[]`},
		"too many clients": {clientimport.Hydra, clientimport.Options{}, "[" + strings.Repeat(`{"id":"x"},`, oauthreg.MaxImportClients) + `{"id":"y"}]`},
	} {
		if _, err := clientimport.Parse(tc.src, strings.NewReader(tc.body), tc.o); !errors.Is(err, clientimport.ErrExport) {
			t.Errorf("%s: %v, want ErrExport", name, err)
		}
	}
	big := strings.NewReader("[" + strings.Repeat(" ", clientimport.MaxExportBytes) + "]")
	if _, err := clientimport.Parse(clientimport.Hydra, big, clientimport.Options{}); !errors.Is(err, clientimport.ErrExport) {
		t.Errorf("an export over MaxExportBytes: %v, want ErrExport", err)
	}
	for _, body := range []string{"", "null", "[]"} {
		if entries, err := clientimport.Parse(clientimport.Hydra, strings.NewReader(body), clientimport.Options{}); err != nil || len(entries) != 0 {
			t.Errorf("Parse(%q): %v, %d entries; want an empty export", body, err, len(entries))
		}
	}
}

func TestMessagesAreSanitized(t *testing.T) {
	secretShaped := "oreg_" + strings.Repeat("Ab3", 20)
	evil := `evil\u001b[31m` + secretShaped
	body := `[{"id":"` + evil + `","client_secret":"$md5$x","redirect_uris":"[\"https://a.example/cb#frag\"]","grant_types":"[\"authorization_code\"]"},
	{"id":"` + secretShaped + `","client_secret":42},
	{"id":"warned","token_endpoint_auth_method":"none","access_token_strategy":"` + evil + `",
	 "metadata":{"` + evil + `":1},"` + evil + `":"a column oauthreg has not"}]`
	entries, err := clientimport.Parse(clientimport.Hydra, strings.NewReader(body), clientimport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := clientimport.Run(t.Context(), newRegistry(t, memstore.New()), clientimport.Hydra, entries, clientimport.RunOptions{})
	if !errors.Is(err, clientimport.ErrRefused) {
		t.Fatalf("Run: %v", err)
	}
	warnings := 0
	for _, o := range rep.Clients {
		texts := []string{o.ClientID, o.Message}
		for _, w := range o.Warnings {
			texts = append(texts, w.Field, w.Message)
			warnings++
		}
		for _, s := range texts {
			if strings.ContainsRune(s, '\x1b') || strings.Contains(s, secretShaped) {
				t.Errorf("outcome echoes unsanitized input: %q", s)
			}
		}
	}
	// The third client's access_token_strategy, metadata key and column
	// name are each echoed in a warning.
	if warnings < 3 {
		t.Errorf("%d warnings, want at least 3: the test no longer reaches Warnings (%+v)", warnings, rep.Clients)
	}
}
