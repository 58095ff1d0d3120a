// How the ops console proves who is calling: a person signed in with Microsoft Entra ID through MSAL.js (the vendored
// msal-browser.js), or in local development the ops key. The hub says which at GET console/sign-in.
// Sign-in is the authorization code flow with PKCE by redirect, not popup: MSAL 5 needs a separate bridge page for a
// popup's answer, popups get blocked, and a redirect returns to this same page, so the CSP stays 'self' for scripts.
'use strict';

const ConsoleSignIn = (() => {
  const { request, HubError } = Hub;

  let settings = { entra: null, opsKey: true };
  let app = null;
  let account = null;

  // The page itself is the redirect URI (registered as a single-page application), without query or fragment.
  const pageUrl = () => `${location.origin}${location.pathname}`;

  /** Reads the hub's sign-in settings and, with Entra ID on, finishes a sign-in that has just come back. */
  async function start() {
    settings = (await request('console/sign-in', { headers: { Accept: 'application/json' } })).body;
    const entra = settings.entra;
    if (!entra) return;
    app = new msal.PublicClientApplication({
      auth: {
        clientId: entra.clientId,
        authority: entra.authority,
        // The tenant's own host: MSAL reads its metadata from there instead of asking a discovery service.
        knownAuthorities: [new URL(entra.authority).host],
        redirectUri: pageUrl(),
        postLogoutRedirectUri: pageUrl(),
      },
      // This tab only: closing it signs the person out of the console.
      cache: { cacheLocation: 'sessionStorage' },
    });
    await app.initialize();
    // The answer lands on this page (#code=…): handle it here and go back to the view the person was on.
    const result = await app.handleRedirectPromise({ navigateToLoginRequestUrl: false });
    if (result) {
      account = result.account;
      const view = typeof result.state === 'string' && result.state.startsWith('#/') ? result.state : '#/instances';
      history.replaceState(null, '', `${location.pathname}${location.search}${view}`);
    } else {
      account = app.getActiveAccount() || app.getAllAccounts()[0] || null;
    }
    if (account) app.setActiveAccount(account);
  }

  /** Where the browser goes back to after signing in: the view shown now, unless it is an answer of the last one. */
  const currentView = () => (location.hash.startsWith('#/') ? location.hash : '#/instances');

  function signIn() {
    if (!app) return Promise.resolve();
    return app.loginRedirect({ scopes: [settings.entra.scope], state: currentView(), prompt: 'select_account' });
  }

  function signOut() {
    if (!app) return Promise.resolve();
    const who = account;
    account = null;
    return app.logoutRedirect({ account: who });
  }

  /**
   * The Authorization header of an ops call. The access token comes from MSAL's cache, renewed with the refresh token
   * when it is about to expire; when that is not possible any more (the refresh token expired or was revoked) the
   * person signs in again by redirect and comes back to the same view.
   */
  async function authorization() {
    const scopes = [settings.entra.scope];
    try {
      const result = await app.acquireTokenSilent({ scopes, account, cacheLookupPolicy: msal.CacheLookupPolicy.AccessTokenAndRefreshToken });
      return { Authorization: `Bearer ${result.accessToken}` };
    } catch (err) {
      await app.acquireTokenRedirect({ scopes, account, state: currentView() });
      throw new HubError(401, { title: 'Signing in again', detail: `The sign-in has expired (${err.errorCode || err.message}).` }, 'Signing in again');
    }
  }

  /**
   * A refusal of a signed-in person's call, said in their terms: 403 names the app role the account lacks (reads need
   * Ops.Reader, actions Ops.Operator); 401 means the hub did not accept the token.
   */
  function explain(err, method) {
    if (!(err instanceof HubError) || (err.status !== 401 && err.status !== 403)) return err;
    const who = account ? account.name || account.username : 'This account';
    const detail = err.problem && err.problem.detail ? ` The hub says: ${err.problem.detail}` : '';
    if (err.status === 401) {
      return new HubError(401, { ...err.problem, title: 'The hub did not accept your sign-in', detail: `Sign out and sign in again.${detail}` }, '');
    }
    const role = method === 'GET' ? 'Ops.Reader' : 'Ops.Operator';
    const why = role === 'Ops.Reader'
      ? 'it needs the Ops.Reader role (or Ops.Operator) of this hub to read.'
      : 'only the Ops.Operator role of this hub may act; Ops.Reader may only read.';
    return new HubError(403, { ...err.problem, title: `Your account lacks the ${role} role`, detail: `${who} is signed in, but ${why} Ask an administrator of the hub's app registration to assign it.${detail}` }, '');
  }

  return {
    start,
    signIn,
    signOut,
    authorization,
    explain,
    /** Entra ID sign-in is on for this hub. */
    entra: () => Boolean(settings.entra),
    /** The hub accepts the ops key here (local development, or allowed in Azure). */
    keyAllowed: () => Boolean(settings.opsKey),
    /** The signed-in person (MSAL's account: name, username), or null. */
    account: () => account,
  };
})();
