"""A visible "reconnecting" state when the dashboard's server goes away, and the page restored when it is back.

Streamlit's own sign of a lost server is a dialog that appears only after several seconds and asks
whether the viewer is "connected to the internet", which is wrong for an air-gapped room. This watch
reads Streamlit's own connection state every second. Once it has been lost for two seconds, a banner
across the top says so, and the watch asks the dashboard's own server (same origin, nothing else)
whether it answers. When it does, Streamlit's reconnection gets ten seconds to rejoin, which keeps the
session and everything in it after a brief network blip; if it has not rejoined by then (the server
was restarted and the session is gone), the page reloads from its address, which carries the scenario.
Nothing is polled while the page is connected. The script is a constant of this module: nothing a user
types or a link carries ever reaches it.
"""

from __future__ import annotations

import streamlit as st

from dashboard.render.style import ALERT

BANNER_ID = "nwsyria-connection-lost"
BANNER_TEXT = "Connection to the dashboard server lost: reconnecting… The scenario is kept in the address bar."

BACK_TEXT = "The dashboard server answers again: reconnecting…"
WATCH_JS = f"""
<script>
(() => {{
  const w = window;
  if (w.__nwsyriaConnectionWatch) return;
  w.__nwsyriaConnectionWatch = true;
  // Streamlit's own view of its connection (CONNECTED, PINGING_SERVER, CONNECTING, DISCONNECTED_FOREVER).
  const state = () => w.document.querySelector('[data-testid="stApp"]')?.getAttribute("data-test-connection-state");
  const health = new URL("_stcore/health", w.document.baseURI).toString();
  let down = 0;
  let backSince = null;
  const banner = (text) => {{
    let el = w.document.getElementById("{BANNER_ID}");
    if (!el) {{
      el = w.document.createElement("div");
      el.id = "{BANNER_ID}";
      el.setAttribute("role", "alert");
      el.style.cssText = "position:fixed;top:0;left:0;right:0;z-index:1000001;padding:14px 20px;" +
        "background:{ALERT["background"].hex};color:{ALERT["text"].hex};font:600 20px sans-serif;" +
        "text-align:center;display:none";
      w.document.body.appendChild(el);
    }}
    if (text === null) {{ el.style.display = "none"; return; }}
    el.textContent = text;
    el.style.display = "block";
  }};
  const answers = async () => {{
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 1500);
    try {{
      return (await fetch(health, {{cache: "no-store", signal: abort.signal}})).ok;
    }} catch (e) {{
      return false;
    }} finally {{
      clearTimeout(timer);
    }}
  }};
  setInterval(async () => {{
    const s = state();
    if (!s || s === "CONNECTED" || s === "INITIAL") {{
      down = 0;
      backSince = null;
      banner(null);
      return;
    }}
    down += 1;
    if (down < 2) return;  // a single missed beat is not an outage
    if (!(await answers())) {{
      backSince = null;
      banner("{BANNER_TEXT}");
      return;
    }}
    // The server answers but Streamlit has not rejoined it: give its own reconnection (which keeps the
    // session) ten seconds, then reload from the address, which carries the scenario.
    backSince = backSince ?? Date.now();
    banner("{BACK_TEXT}");
    if (s === "DISCONNECTED_FOREVER" || Date.now() - backSince > 10000) w.location.reload();
  }}, 1000);
}})();
</script>
"""


def watch_connection() -> None:
    """Install the watch on the page once per session: the script runs once in the tab and keeps
    watching after its element is gone, so later reruns do not send its 2.4 kB again. A reload is a
    new session and installs it again (the script itself does nothing if the tab already has it).
    Later runs put an empty placeholder in its place: had the elements after it moved up by one, the
    browser would have drawn the map anew and lost the viewer's pan and zoom."""
    if st.session_state.get("_watching"):
        st.empty()  # holds the script's place: every element after it keeps its position (the map its view)
        return
    st.html(WATCH_JS, unsafe_allow_javascript=True)
    st.session_state["_watching"] = True
