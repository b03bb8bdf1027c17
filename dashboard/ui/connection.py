"""A visible "reconnecting" state when the dashboard's server goes away, and the page restored when it is back.

Streamlit's own sign of a lost server is a dialog that appears only after several seconds and asks
whether the viewer is "connected to the internet", which is wrong for an air-gapped room. This watch asks
the dashboard's own server (same origin, nothing else) for its health every two seconds; while it does
not answer, a banner across the top of the page says the connection is lost and that it reconnects, and
when it answers again the page reloads from its address, which carries the scenario (see url_state).
The script is a constant of this module: nothing a user types or a link carries ever reaches it.
"""

from __future__ import annotations

import streamlit as st

BANNER_ID = "nwsyria-connection-lost"
BANNER_TEXT = "Connection to the dashboard server lost: reconnecting… The scenario is kept in the address bar."

WATCH_JS = f"""
<script>
(() => {{
  const w = window;
  if (w.__nwsyriaConnectionWatch) return;
  w.__nwsyriaConnectionWatch = true;
  const health = new URL("/_stcore/health", w.location.origin).toString();
  let lost = false;
  const banner = () => {{
    let el = w.document.getElementById("{BANNER_ID}");
    if (!el) {{
      el = w.document.createElement("div");
      el.id = "{BANNER_ID}";
      el.setAttribute("role", "alert");
      el.textContent = "{BANNER_TEXT}";
      el.style.cssText = "position:fixed;top:0;left:0;right:0;z-index:1000001;padding:14px 20px;" +
        "background:#8b0000;color:#fff;font:600 20px sans-serif;text-align:center;display:none";
      w.document.body.appendChild(el);
    }}
    return el;
  }};
  const check = async () => {{
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 1500);
    let ok = false;
    try {{
      const r = await fetch(health, {{cache: "no-store", signal: abort.signal}});
      ok = r.ok;
    }} catch (e) {{
      ok = false;
    }}
    clearTimeout(timer);
    if (!ok && !lost) {{
      lost = true;
      banner().style.display = "block";
    }} else if (ok && lost) {{
      banner().textContent = "The server is back: reloading this scenario…";
      w.location.reload();
    }}
  }};
  setInterval(check, 2000);
}})();
</script>
"""


def watch_connection() -> None:
    """Install the watch on the page (once per browser tab; later calls do nothing in the browser)."""
    st.html(WATCH_JS, unsafe_allow_javascript=True)
