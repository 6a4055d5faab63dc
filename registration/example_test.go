package registration_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/memstore"
	"github.com/oauthreg/oauthreg/registration"
)

// A registration request that tries to choose its organization gets the
// server's; the response carries the secret and the registration access
// token, once.
func ExampleServer_Register() {
	reg, _ := oauthreg.New(memstore.New())
	srv := &registration.Server{
		Registry:  reg,
		ClientURI: func(id string) string { return "https://as.example/register/" + id },
	}
	req, err := registration.ParseRequest([]byte(`{
		"redirect_uris": ["https://app.example/callback"],
		"client_name": "Example app",
		"owner": "org-victim"
	}`))
	if err != nil {
		fmt.Println(registration.AsError(err).Code)
		return
	}
	resp, err := srv.Register(context.Background(), req, registration.ServerValues{Owner: "org-dynamic"})
	if err != nil {
		fmt.Println(registration.AsError(err).Code)
		return
	}
	body, _ := json.Marshal(resp)
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	fmt.Println("ignored:", req.Ignored)
	fmt.Println("owner:", resp.Client.Owner)
	fmt.Println("has secret:", m["client_secret"] != nil, "has token:", m["registration_access_token"] != nil)
	fmt.Println("grant_types:", m["grant_types"])

	// The client reads its registration back with its token.
	read, err := srv.Read(context.Background(), resp.Client.ID, resp.RegistrationAccessToken())
	fmt.Println("read:", err == nil && read.Client.Name == "Example app")
	// Output:
	// ignored: [owner]
	// owner: org-dynamic
	// has secret: true has token: true
	// grant_types: [authorization_code]
	// read: true
}
