using System.Runtime.CompilerServices;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Payments.Server.Tests.Support;

namespace Payments.Browser.Tests.Support;

/// <summary>
/// What every browser test does: open pages, wait for what it expects (explicit waits on elements,
/// never sleeps), check each page's accessible basics, and when it fails save a screenshot and the
/// page's HTML to <c>TestResults/screenshots/&lt;test&gt;.png|.html</c> at the repository root.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserFixture fixture)
{
    /// <summary>Generous: the machine has two cores and other work runs beside the tests.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    protected PaymentsApp App => fixture.App;
    protected ChromeDriver Browser => fixture.Driver;

    /// <summary>Runs a test's steps; on failure keeps what the browser showed.</summary>
    protected async Task InBrowser(Func<Task> steps, [CallerMemberName] string test = "")
    {
        // A clean start: no cookies of any path (the admin session lives on /admin), script on.
        Browser.ExecuteCdpCommand("Network.clearBrowserCookies", new Dictionary<string, object?>());
        Browser.SetJavaScript(true);
        try
        {
            await steps();
        }
        catch
        {
            SaveEvidence(test);
            throw;
        }
    }

    protected void Open(string pathAndQuery) => Browser.Navigate().GoToUrl(new Uri(App.BaseAddress, pathAndQuery));

    protected IWebElement WaitFor(By by, string what) => Wait(what, d => d.FindElements(by).FirstOrDefault(e => e.Displayed));

    protected T Wait<T>(string what, Func<IWebDriver, T?> condition)
    {
        var wait = new WebDriverWait(Browser, Patience) { Message = $"waiting for {what}; at {Browser.Url}" };
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
        return wait.Until(d => condition(d))!;
    }

    /// <summary>Waits for the page's main heading to say the payment has this status, and returns it.</summary>
    protected IWebElement WaitForStatus(string status) => WaitFor(By.CssSelector($"h1[data-status='{status}']"), $"status {status}");

    /// <summary>
    /// The text of that heading, read inside the wait: on a page that reloads itself (the thanks page
    /// without script refreshes every 3 s) an element found a moment ago may already be stale.
    /// </summary>
    protected string WaitForStatusText(string status) =>
        Wait($"status {status}", d => d.FindElements(By.CssSelector($"h1[data-status='{status}']")).FirstOrDefault(e => e.Displayed)?.Text);

    protected object? Script(string script, params object[] args) => Browser.ExecuteScript(script, args);

    /// <summary>
    /// The accessible basics every page of ours must have: a language, one h1 and no skipped heading
    /// levels, a label for every control, a name for every button, scope on every table header,
    /// ARIA references that point at something, and no clickable non-controls.
    /// </summary>
    protected void AssertAccessibleBasics()
    {
        var problems = (IReadOnlyCollection<object>)Script("""
            const problems = [];
            if (!document.documentElement.lang) problems.push('html has no lang');
            const h1 = document.querySelectorAll('h1').length;
            if (h1 !== 1) problems.push(h1 + ' h1 elements');
            let level = 0;
            document.querySelectorAll('h1,h2,h3,h4,h5,h6').forEach(h => {
              const l = +h.tagName[1];
              if (level && l > level + 1) problems.push('heading jumps to ' + h.tagName + ': ' + h.textContent.trim());
              level = l;
            });
            document.querySelectorAll('input:not([type=hidden]), select, textarea').forEach(el => {
              if (!(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
                problems.push('no label: ' + el.outerHTML.slice(0, 100));
            });
            document.querySelectorAll('button').forEach(b => {
              if (!b.textContent.trim() && !b.getAttribute('aria-label')) problems.push('button without a name');
            });
            document.querySelectorAll('th').forEach(th => {
              if (!th.getAttribute('scope')) problems.push('th without scope: ' + th.textContent.trim());
            });
            document.querySelectorAll('[aria-describedby],[aria-labelledby]').forEach(el => {
              ((el.getAttribute('aria-describedby') || '') + ' ' + (el.getAttribute('aria-labelledby') || ''))
                .split(/\s+/).filter(Boolean).forEach(id => { if (!document.getElementById(id)) problems.push('missing #' + id); });
            });
            document.querySelectorAll('[onclick], div[role=button], span[role=button]').forEach(el =>
              problems.push('clickable non-control: ' + el.outerHTML.slice(0, 80)));
            return problems;
            """)!;
        Assert.True(problems.Count == 0, $"{Browser.Url}: {string.Join("; ", problems)}");
    }

    private void SaveEvidence(string test)
    {
        try
        {
            var dir = Path.Combine(RepositoryRoot(), "TestResults", "screenshots");
            Directory.CreateDirectory(dir);
            Browser.GetScreenshot().SaveAsFile(Path.Combine(dir, test + ".png"));
            File.WriteAllText(Path.Combine(dir, test + ".html"), Browser.PageSource);
        }
        catch (Exception e) when (e is WebDriverException or IOException)
        {
            // Evidence is a courtesy; the test's own failure is what must be reported.
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Payments.slnx"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
