// Drives the token server with the npm package openid-client (v6): a
// client_credentials grant with the client authentication method named in
// the input, which is JSON on stdin:
//   {"issuer", "token_endpoint", "client_id", "method", "secret"?,
//    "private_key_pem"?, "alg"?, "kid"?, "scope"?}
// It prints {"ok":true,"token":{...}} or {"ok":false,"error":"...","status":N}.
import * as client from 'openid-client';
import { importPKCS8 } from 'jose';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const cfg = JSON.parse(input);

async function auth() {
  switch (cfg.method) {
    case 'client_secret_basic': return client.ClientSecretBasic(cfg.secret);
    case 'client_secret_post': return client.ClientSecretPost(cfg.secret);
    case 'client_secret_jwt': return client.ClientSecretJwt(cfg.secret);
    case 'private_key_jwt': {
      const key = await importPKCS8(cfg.private_key_pem, cfg.alg);
      return client.PrivateKeyJwt({ key, kid: cfg.kid });
    }
  }
  throw new Error('unknown method ' + cfg.method);
}

try {
  const config = new client.Configuration(
    { issuer: cfg.issuer, token_endpoint: cfg.token_endpoint },
    cfg.client_id, {}, await auth());
  client.allowInsecureRequests(config); // the test server is plain http on 127.0.0.1
  const params = cfg.scope ? { scope: cfg.scope } : {};
  const tokens = await client.clientCredentialsGrant(config, params);
  console.log(JSON.stringify({ ok: true, token: { access_token: tokens.access_token, token_type: tokens.token_type, expires_in: tokens.expires_in, scope: tokens.scope } }));
} catch (e) {
  // A 401 with WWW-Authenticate surfaces as a challenge error; the RFC 6749
  // error code is in the response body.
  let error = e.error;
  if (!error && e.response) {
    try { error = (await e.response.json()).error; } catch { /* not JSON */ }
  }
  console.log(JSON.stringify({ ok: false, error: error || e.code || String(e.message), status: e.status || (e.response && e.response.status) || 0 }));
}
