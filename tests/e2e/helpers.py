"""What the journeys check on every page: axe-core rules, visible focus, screenshots at two widths."""

from pathlib import Path

SCREENSHOT_DIR = Path(__file__).parent / "screenshots"
MOBILE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
WCAG_21_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_RUN_AXE = """
async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
  }));
}
"""

# True when the focused element shows a ring: an outline, a box-shadow, or the focus style
# of the browser (outline-style auto). Reads the computed style, which is what a sighted
# keyboard user gets.
_FOCUS_IS_VISIBLE = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {visible: false, element: 'body'};
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const label = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.getAttribute('name') ? '[name=' + el.getAttribute('name') + ']' : '')
    + ' ' + (el.innerText || el.value || '').trim().slice(0, 40);
  return {visible: Boolean(outline || shadow), element: label,
          outline: style.outline, boxShadow: style.boxShadow};
}
"""


def axe_violations(page, axe_source):
    """WCAG 2.1 A/AA violations axe-core finds in the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_source))
    return page.evaluate(_RUN_AXE, WCAG_21_AA_TAGS)


def format_violations(violations):
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {node['target']}: {node['summary']}")
    return "\n".join(lines)


def assert_accessible(page, axe_source, name=""):
    """Zero axe-core violations of WCAG 2.1 A and AA rules."""
    violations = axe_violations(page, axe_source)
    assert not violations, f"axe-core violations on {name or page.url}:\n{format_violations(violations)}"


def focused_element_style(page):
    return page.evaluate(_FOCUS_IS_VISIBLE)


def save_screenshots(page, name):
    """Full-page captures at phone and desktop widths, for a human to look at (git-ignored)."""
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    original = page.viewport_size
    for label, size in (("mobile", MOBILE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}-{label}.png"), full_page=True)
    if original:
        page.set_viewport_size(original)


def has_horizontal_scroll(page):
    """A page wider than the phone screen makes people scroll sideways to read (WCAG 1.4.10)."""
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth + 1")
