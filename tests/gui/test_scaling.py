"""Text fits at 100, 125 and 150 % display scaling, and the window fits the screen.

The scale (``QT_SCALE_FACTOR``) must be set before the ``QApplication`` exists, so each scale renders
in its own process (``tests/gui/render_scaled.py``) on an offscreen screen of a real size: 1366×768
at 100 and 125 % (a 1093×614 desktop at 125 %), 1920×1080 at 150 % (1280×720). The process builds a
day with a long patient name, a long payer name and a payment recorded, opens the new-patient form
and the settings dialog, saves a screenshot of each into the test's folder and reports every label or
button narrower than its text, every table cell whose text does not fit its column, and any window
larger than the screen's free area.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENS = {
    "100% 1366x768": (1.0, 1366, 768),
    "125% 1366x768": (1.25, 1366, 768),
    "150% 1920x1080": (1.5, 1920, 1080),
}


def render(folder: Path, scale: float, width: int, height: int) -> dict[str, object]:
    folder.mkdir(parents=True)
    screen = folder / "screen.json"
    screen.write_text(
        json.dumps(
            {
                "synchronousWindowSystemEvents": False,
                "screens": [
                    {"name": "screen", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96}
                ],
            }
        ),
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
        "QT_SCALE_FACTOR": str(scale),
        "XDG_CONFIG_HOME": str(folder / "config"),  # nothing remembered: the first window
        "SUPERBILL_DATA_DIR": str(folder / "data"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.gui.render_scaled", str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


@pytest.mark.slow
@pytest.mark.parametrize("screen", list(SCREENS))
def test_text_fits_and_the_window_fits_the_screen(tmp_path: Path, screen: str) -> None:
    scale, width, height = SCREENS[screen]
    report = render(tmp_path / "screens", scale, width, height)
    assert report["scale"] == scale
    free = report["screen"]
    assert free == [0, 0, round(width / scale), round(height / scale)], free
    window = report["window"]
    assert isinstance(window, list) and window[2] <= free[2] and window[3] <= free[3]  # type: ignore[index]
    assert report["total"] == "$930.00 · paid $25.00 · balance $905.00"
    assert report["problems"] == []
    for shot in ("main-window.png", "new-patient-form.png", "settings.png"):
        assert (tmp_path / "screens" / shot).stat().st_size > 10_000, shot
