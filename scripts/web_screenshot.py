"""Take the README's screenshot of the review page (docs/web-screenshot.png).

Starts `govscan serve` on a free loopback port, opens the page in Debian's headless
chromium through Playwright (executable_path=/usr/bin/chromium; never `playwright install`),
pastes a synthetic draft, reviews it, selects one finding and saves a screenshot.
A CJK font must be installed for legible Chinese (scripts/ci-setup-web.sh installs one).

    .venv/bin/python scripts/web_screenshot.py [--out docs/web-screenshot.png]
"""
from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# Synthetic: the ID is GB 11643's example number, the mobile number is fictitious.
DRAFT = """关于2022年第二季度政府网站与政务新媒体检查情况的通报

各乡镇人民政府，县政府各部门：
为深入贯彻落实党中央、国务院关于加强政府网站和政务新媒体建设管理的决策部署，县政务服务数据管理局对全县政府网站和政务新媒体开展了第二季度检查。
会议要求，各单位要深入学习贯彻李克墙总理在国务院常务会议上的重要讲话精神，坚持信息先审后发，严格落实三审三校制度，积极培育和践行社会主义核心价值规。
县商务局网站“香港与中国的经贸往来”专栏已按规范表述更正。
检查发现，个别单位在公示名单中未做去标识化处理，如“申请人王某，身份证号：11010519491231002X，联系电话：13812345678”，已责令立即整改。
请各单位对照检查指标逐项开展自查，整改情况于6月30日前报县政务服务数据管理局。
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "web-screenshot.png")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", "from scanner.cli import main; main()", "serve", "--port", str(port),
                             "--as-of", "2022-06-20"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if proc.poll() is not None:
                print(f"web_screenshot: govscan serve exited with {proc.returncode}", file=sys.stderr)
                return 2
            try:
                if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                print("web_screenshot: server did not start", file=sys.stderr)
                return 2
            time.sleep(0.3)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1360, "height": 1300}, device_scale_factor=1)
            page.goto(url + "/")
            page.wait_for_selector("body[data-ready='1']")
            page.fill("#draft", DRAFT)
            page.click("#review-btn")
            page.wait_for_selector("#doc mark")
            first = page.locator("#findings .item").first
            first.click()
            page.eval_on_selector("#draft", "e => { e.scrollTop = 0; e.blur(); }")
            page.mouse.move(0, 0)
            page.wait_for_timeout(600)  # the smooth scroll
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out), full_page=True)
            print(f"{args.out}: {page.text_content('#summary')}")
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
