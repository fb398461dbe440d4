"""axe-core on every page in Dutch and Arabic: no serious or critical violation in our content."""

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import ARTIFACTS, ROOT, wait_idle

pytestmark = pytest.mark.e2e
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["", "find_funding", "application", "report", "officer_queue"]


@pytest.mark.parametrize("lang", ["nl", "ar"])
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(page, server, path, lang):
    if not AXE.exists():
        pytest.fail("axe-core is not installed (scripts/test.sh runs: npm install --no-save axe-core@4)")
    page.goto(f"{server['url']}/{path}?lang={lang}")
    wait_idle(page)
    page.wait_for_timeout(1000)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document.querySelector('[data-testid=stMain]'), {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.map(n => n.html.slice(0, 160) + ' ' + JSON.stringify((n.any[0] || {}).data || {})).slice(0, 5)}));
    }""")
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{path or 'home'}-{lang}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    assert serious == [], json.dumps(serious, indent=1, ensure_ascii=False)
