using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Payments.Browser.Tests.Support;

/// <summary>
/// Starts Debian's headless Chromium through Debian's chromedriver, both named by path so Selenium
/// Manager (which would download a browser or driver) is never asked. Paths: <c>CHROMIUM_PATH</c>
/// (as for PDF receipts) and <c>CHROMEDRIVER_PATH</c>, defaults /usr/bin/chromium and /usr/bin/chromedriver.
/// </summary>
public static class Chromium
{
    public static string BrowserPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } p ? p : "/usr/bin/chromium";
    public static string DriverPath => Environment.GetEnvironmentVariable("CHROMEDRIVER_PATH") is { Length: > 0 } p ? p : "/usr/bin/chromedriver";

    public static ChromeDriver Start(string profileDirectory)
    {
        foreach (var (path, package) in new[] { (BrowserPath, "chromium"), (DriverPath, "chromium-driver") })
            if (!File.Exists(path))
                throw new InvalidOperationException(
                    $"{path} is missing: run ./scripts/test.sh (it installs it) or apt-get install {package}.");

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;

        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
            // Chromium's own background connections are refused on machines without internet; without
            // these flags it waits on them and pages load slowly or not at all.
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--disable-extensions", "--window-size=1280,1000",
            $"--user-data-dir={profileDirectory}");

        // A loaded 2-core machine can take a while to start a browser.
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(90));
        driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(60);
        return driver;
    }

    /// <summary>Switches JavaScript off or on for the current tab (and the pages it navigates to), through the DevTools protocol.</summary>
    public static void SetJavaScript(this ChromeDriver driver, bool enabled) =>
        driver.ExecuteCdpCommand("Emulation.setScriptExecutionDisabled", new Dictionary<string, object?> { ["value"] = !enabled });

}
