/** Opened without the per-run token (a reload, a bookmark): say how to get in. */
export function NoToken() {
  return (
    <main className="no-token">
      <h1>molecule-ops</h1>
      <p>
        This page has no access token. Open the URL that <code>molecule-ops serve</code> (or <code>npm start</code>)
        printed: it ends in <code>#token=…</code>.
      </p>
      <p className="muted">
        The token is kept in this page's memory only, never stored, so reloading the page or opening a bookmark needs
        the printed URL again. Other web pages cannot use it.
      </p>
    </main>
  );
}
