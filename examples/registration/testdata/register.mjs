// Drives the registration endpoint with the npm package openid-client (v6):
// discovery and dynamic client registration (RFC 7591) through
// openid-client's dynamicClientRegistration, a client_credentials grant
// with the credentials it registered, then the client configuration
// endpoint (RFC 7592: read, update, delete) with fetch, since openid-client
// has no calls of its own for those. Input is JSON on stdin:
//   {"issuer", "initial_token"?, "metadata"}
// It prints {"ok":true, ...what happened} or {"ok":false,"error","status"}.
import * as client from 'openid-client';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const cfg = JSON.parse(input);

async function call(method, uri, token, body) {
  const headers = { authorization: 'Bearer ' + token };
  if (body) headers['content-type'] = 'application/json';
  const r = await fetch(uri, { method, headers, body: body && JSON.stringify(body) });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* 204 */ }
  return { status: r.status, body: json, www_authenticate: r.headers.get('www-authenticate'), cache_control: r.headers.get('cache-control') };
}

try {
  const options = { execute: [client.allowInsecureRequests] }; // plain http on 127.0.0.1
  if (cfg.initial_token) options.initialAccessToken = cfg.initial_token;
  const config = await client.dynamicClientRegistration(new URL(cfg.issuer), cfg.metadata, client.ClientSecretBasic(), options);
  const registered = config.clientMetadata();
  const out = { ok: true, registered };
  const tokens = await client.clientCredentialsGrant(config, { scope: 'read' });
  out.token_type = tokens.token_type;

  const uri = registered.registration_client_uri;
  const token = registered.registration_access_token;
  out.read = await call('GET', uri, token);
  out.read_wrong_token = await call('GET', uri, token + 'x');
  const update = { ...cfg.metadata, client_id: registered.client_id, client_name: 'renamed by openid-client test' };
  delete update.scope; // full replacement: the scope is cleared
  out.update = await call('PUT', uri, token, update);
  out.read_old_token = await call('GET', uri, token);
  const fresh = out.update.body && out.update.body.registration_access_token;
  out.delete = await call('DELETE', uri, fresh);
  out.read_after_delete = await call('GET', uri, fresh);
  console.log(JSON.stringify(out));
} catch (e) {
  let error = e.error || e.code;
  if (e.cause && e.cause.error) error = e.cause.error;
  console.log(JSON.stringify({ ok: false, error: error || String(e.message), status: e.status || (e.response && e.response.status) || 0, message: String(e.message) }));
}
