package oauthreg

import "time"

// Limits: every size and count a Client may reach, in one place.
//
// A limit is part of the contract between the Registry and every Store: a
// client at every limit at once round-trips through every store (storetest
// checks it on memstore, SQLite, PostgreSQL and MySQL/MariaDB), and one just
// over any limit is refused before a store sees it. Validation (Validate,
// Register, Update) and decoding (Client.UnmarshalJSON) report a value over
// a limit as a *ValidationError that names the field, with the RFC 7591
// error code an HTTP layer sends (CodeInvalidRedirectURI for redirect URIs,
// CodeInvalidClientMetadata for the rest), and change nothing.
//
// Lengths are in bytes of UTF-8, not characters, because that is what a
// database column holds.
const (
	// MaxClientIDBytes bounds Client.ID (client_id): printable ASCII.
	MaxClientIDBytes = 255
	// MaxOwnerBytes bounds Client.Owner (owner), an organization ID.
	MaxOwnerBytes = 255
	// MaxClientNameBytes bounds Client.Name (client_name).
	MaxClientNameBytes = 1000
	// MaxDescriptionBytes bounds Client.Description (description).
	MaxDescriptionBytes = 10_000

	// MaxRedirectURIs bounds how many redirect URIs a client has
	// (redirect_uris).
	MaxRedirectURIs = 100
	// MaxURIBytes bounds each URI a client registers: every redirect URI,
	// and every other URI-valued metadata field.
	MaxURIBytes = 2000

	// MaxScopes bounds how many scopes a client has (scope), and how many
	// distinct scopes ParseScope returns.
	MaxScopes = 1000
	// MaxScopeBytes bounds each scope token.
	MaxScopeBytes = 255

	// MaxTags bounds each tag list (system_tags, user_tags).
	MaxTags = 100
	// MaxTagBytes bounds each tag.
	MaxTagBytes = 255

	// MaxMetadataEntries bounds Client.Metadata (metadata).
	MaxMetadataEntries = 100
	// MaxMetadataKeyBytes bounds each metadata key.
	MaxMetadataKeyBytes = 255
	// MaxMetadataValueBytes bounds each metadata value.
	MaxMetadataValueBytes = 4096

	// MaxStoredSecrets bounds how many secret records a client keeps
	// (secrets). When issuing or adding a secret would exceed it, the oldest
	// records that can no longer authenticate (revoked or expired) are
	// dropped, as PurgeExpired would drop them later; active secrets are
	// never dropped, and MaxActiveSecretsCeiling keeps them well below it.
	MaxStoredSecrets = 100
	// MaxActiveSecretsCeiling is the most secrets a client may have active
	// at once, whatever its RotationPolicy says: a MaxActiveSecrets of 0
	// means this ceiling, and a larger one is refused. Each active supplied
	// or imported secret costs one slow hash per wrong guess, so the ceiling
	// also bounds the work one failed authentication can cause.
	MaxActiveSecretsCeiling = 10
	// MaxSecretIDBytes bounds a secret record's ID (secrets[i].id).
	MaxSecretIDBytes = 255
	// MaxSecretHintBytes bounds a secret record's hint (secrets[i].hint).
	MaxSecretHintBytes = 64
	// MaxSecretDescriptionBytes bounds a secret's description
	// (WithSecretDescription, secrets[i].description).
	MaxSecretDescriptionBytes = 1000
	// MaxSecretHashBytes bounds a secret record's encoded hash, and so an
	// imported hash.
	MaxSecretHashBytes = 2048
	// MaxSealedSecretBytes bounds a secret record's sealed value.
	MaxSealedSecretBytes = 4096

	// MaxClientJSONBytes bounds the whole client: its JSON encoding
	// (Client.MarshalJSON) must not exceed it, and Client.UnmarshalJSON
	// refuses longer input before decoding anything. A client with every
	// field at its own limit in plain ASCII (about 1.3 MB) stays below it;
	// it is reached by clients whose characters need escaping (a control
	// character takes six bytes in JSON), and it bounds the memory one
	// decoded request can take.
	MaxClientJSONBytes = 2 << 20
	// MaxJSONElements bounds how many elements one JSON array, or members
	// one JSON object, may have in what Client.UnmarshalJSON decodes (the
	// client object itself, its lists, metadata, secrets, extensions), so
	// that a body of tiny values cannot become a huge slice or map.
	MaxJSONElements = 512
	// MaxJSONValues bounds the JSON values of all kinds in one client
	// document that Client.UnmarshalJSON decodes.
	MaxJSONValues = 16384
	// MaxJSONDepth bounds how deeply objects and arrays nest in what
	// Client.UnmarshalJSON decodes.
	MaxJSONDepth = 32
)

// Limits of the registration metadata and server-side policy of issue 9
// (RFC 7591 §2, OpenID Connect Dynamic Client Registration 1.0 §2, RFC 8705,
// and the policy fields). URI-valued fields are bounded by MaxURIBytes.
// Together with the limits above, a client at every limit at once stays
// below MaxClientJSONBytes and MaxJSONObjectMembers.
const (
	// MaxContacts bounds Client.Contacts (contacts); MaxContactBytes each
	// entry (an e-mail address is at most 254 bytes).
	MaxContacts     = 20
	MaxContactBytes = 320
	// MaxSoftwareBytes bounds software_id and software_version.
	MaxSoftwareBytes = 255
	// MaxLocalizedMembers bounds Client.Localized (members such as
	// "client_name#ja"); MaxLanguageTagBytes the tag after the '#'.
	MaxLocalizedMembers = 50
	MaxLanguageTagBytes = 35
	// MaxJWKSBytes bounds Client.JWKS (jwks), and MaxJWKSKeys how many keys
	// it holds.
	MaxJWKSBytes = 64 << 10
	MaxJWKSKeys  = 100
	// MaxTLSSubjectBytes bounds each tls_client_auth_* subject field.
	MaxTLSSubjectBytes = 1000
	// MaxRequestURIs bounds request_uris, MaxPostLogoutRedirectURIs
	// post_logout_redirect_uris.
	MaxRequestURIs            = 20
	MaxPostLogoutRedirectURIs = 20
	// MaxACRValues bounds default_acr_values; MaxACRValueBytes each value.
	MaxACRValues     = 20
	MaxACRValueBytes = 255
	// MaxAudiences bounds Client.Audience (each entry at most MaxURIBytes).
	MaxAudiences = 50
	// MaxCORSOrigins bounds allowed_cors_origins; MaxOriginBytes each
	// origin (scheme, host and port).
	MaxCORSOrigins = 50
	MaxOriginBytes = 300
	// MaxResponseModes bounds response_modes (repeats are allowed), and
	// MaxResponseModeBytes a custom response mode's name.
	MaxResponseModes     = 20
	MaxResponseModeBytes = 64
	// MaxExtensions bounds how many unknown members a client keeps
	// (Client.Extensions); MaxExtensionNameBytes each name, and
	// MaxExtensionsBytes all names and values together.
	MaxExtensions         = 50
	MaxExtensionNameBytes = 255
	MaxExtensionsBytes    = 64 << 10
	// MaxTokenLifetime bounds every token lifetime a client or a Registry
	// sets (token_lifetimes, access_token_ttl, refresh_token_ttl).
	MaxTokenLifetime = 10 * 365 * 24 * time.Hour
	// MaxDefaultMaxAge bounds default_max_age.
	MaxDefaultMaxAge = 365 * 24 * time.Hour
)

// MaxImportClients bounds how many clients one Registry.ImportClients (and
// one BatchCreator.CreateClients) takes: enough for the client population
// of most servers in one all-or-nothing import and one database
// transaction. A batch of typical clients (a few KB each) holds tens of
// megabytes in memory; package clientimport also bounds the size of the
// export it reads. Import a larger population in several batches.
const MaxImportClients = 5000
