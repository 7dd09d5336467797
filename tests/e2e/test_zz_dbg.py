from .e2e_helpers import CHROMIUM, LIST_URL, TIMEOUT_MS, chromium_args, install_host, isolated_env


def test_lang(playwright, extension, server, tmp_path):
    for variant in ("flag", "env"):
        home = tmp_path / f"h{variant}"
        udd = tmp_path / f"p{variant}"
        udd.mkdir()
        env = isolated_env(home)
        install_host(udd, env)
        args = chromium_args(extension, server.port)
        if variant == "flag":
            args.append("--lang=ru")
        else:
            env.update(LANGUAGE="ru", LANG="ru_RU.UTF-8", LC_ALL="ru_RU.UTF-8")
        ctx = playwright.chromium.launch_persistent_context(str(udd), executable_path=str(CHROMIUM), headless=True,
            args=args, ignore_default_args=["--disable-extensions"], env=env, timeout=TIMEOUT_MS)
        sw = ctx.service_workers[0] if ctx.service_workers else ctx.wait_for_event("serviceworker")
        print(variant, sw.evaluate("[chrome.i18n.getUILanguage(), chrome.i18n.getMessage('h_warnings')]"))
        page = ctx.pages[0]
        page.goto(LIST_URL)
        page.wait_for_selector("aliwatch-badge[data-status]", timeout=TIMEOUT_MS)
        page.wait_for_timeout(1000)
        print(page.locator("aliwatch-badge").evaluate_all("hs => hs.map(h => h.shadowRoot.querySelector('.aw-title').textContent)"))
        ctx.close()
