// A real OpenID Connect provider (panva's oidc-provider) for the single sign-on tests: one
// confidential client, PKCE required, accounts with group claims from OIDC_ACCOUNTS, and the
// login screen replaced by the account named in login_hint (the test plays the user). The
// accounts and their groups are read from the JSON file OIDC_ACCOUNTS_FILE at each sign-in, so
// a test can take a user out of a group between two sign-ins.
// OIDC_TAMPER (JSON) re-signs the ID token with changed claims, with the provider's own key,
// as a broken or hostile provider would: {"nonce": "x"}, {"aud": "y"}, {"expired": true}, or
// with another key under the same key id: {"foreign_key": true}.
import { readFileSync } from "node:fs";
import http from "node:http";

import * as jose from "jose";
import Provider from "oidc-provider";

const env = process.env;
const readAccounts = () => JSON.parse(readFileSync(env.OIDC_ACCOUNTS_FILE, "utf8"));
const tamper = JSON.parse(env.OIDC_TAMPER || "null");

const { privateKey } = await jose.generateKeyPair("RS256", { extractable: true });
const signingKey = { ...(await jose.exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" };

const provider = new Provider(env.OIDC_ISSUER, {
  clients: [
    {
      client_id: env.OIDC_CLIENT_ID,
      client_secret: env.OIDC_CLIENT_SECRET,
      redirect_uris: [env.OIDC_REDIRECT_URI],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  jwks: { keys: [signingKey] },
  pkce: { required: () => true },
  scopes: ["openid", "profile", "email", "groups"],
  claims: {
    openid: ["sub"],
    profile: ["name", "given_name", "family_name", "preferred_username"],
    email: ["email", "email_verified"],
    groups: ["groups"],
  },
  conformIdTokenClaims: false, // the groups in the ID token too, as Entra ID and Keycloak do
  findAccount: async (ctx, id) => {
    const account = readAccounts()[id];
    return account && { accountId: id, claims: async () => ({ sub: id, ...account }) };
  },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ["test-only-cookie-key"] },
});
provider.proxy = false;

if (tamper) {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path !== "/token" || !ctx.body?.id_token) return;
    const claims = jose.decodeJwt(ctx.body.id_token);
    if (tamper.nonce) claims.nonce = tamper.nonce;
    if (tamper.aud) claims.aud = tamper.aud;
    if (tamper.expired) {
      claims.iat -= 7200;
      claims.exp = claims.iat + 3600;
    }
    const key = tamper.foreign_key ? (await jose.generateKeyPair("RS256")).privateKey : privateKey;
    ctx.body.id_token = await new jose.SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: signingKey.kid })
      .sign(key);
  });
}

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  const match = req.url.match(/^\/interaction\/([^/?]+)/);
  if (!match) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    const accountId = details.params.login_hint;
    let result;
    if (details.prompt.name === "login") {
      if (!readAccounts()[accountId]) {
        result = { error: "access_denied", error_description: "unknown account" };
      } else {
        result = { login: { accountId } };
      }
    } else {
      const grant = new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
      grant.addOIDCScope(details.params.scope);
      result = { consent: { grantId: await grant.save() } };
    }
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  } catch (error) {
    res.statusCode = 500;
    res.end(String(error));
  }
});
server.listen(Number(env.OIDC_PORT), "127.0.0.1", () => console.log("listening"));
