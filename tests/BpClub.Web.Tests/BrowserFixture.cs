using BpClub.Testing;
using Microsoft.Playwright;

namespace BpClub.Web.Tests;

/// <summary>
/// One running service on a real loopback port and one Chromium (Debian's /usr/bin/chromium: this
/// project never lets Playwright download a browser) for every journey; each journey gets its own
/// browser context, so cookies never leak from one to the next.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public BpClubApp App { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>.data/test-results/screenshots under the repository root (the folder holding BpClub.sln).</summary>
    public string ScreenshotFolder { get; } = Path.Combine(RepositoryRoot(), ".data", "test-results", "screenshots");

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_BROWSERS_PATH",
            Path.Combine(Path.GetTempPath(), "bpclub-no-playwright-browsers"));
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException(
                $"{ChromiumPath} is missing: install Debian's chromium package (apt-get install -y chromium).");
        Directory.CreateDirectory(ScreenshotFolder);

        App = await BpClubApp.Start(siloSettings: new Dictionary<string, string?>
        {
            // A second code to the same phone may follow at once: the journeys register and then reset.
            ["Cabinet:CodeResendInterval"] = "00:00:00",
            // A journey buys fuel last month, which lies more than the default 30 days back on the 31st.
            ["Programme:MaxBackdating"] = "45.00:00:00",
        }, kestrel: true);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-quic", "--disable-sync",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (App is not null) await App.DisposeAsync();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BpClub.sln"))) return dir.FullName;
        throw new InvalidOperationException("BpClub.sln not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
