using System.Net.Http.Json;
using System.Text.RegularExpressions;
using BpClub.Testing;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BpClub.Web.Tests;

/// <summary>
/// What every journey does: a fresh browser context and page at phone width, screenshots at 390
/// and 1280 px, and a check at the end that no script failed and the CSP refused nothing.
/// </summary>
public abstract class Journey(BrowserFixture fixture) : IAsyncLifetime
{
    public const string Password = "Sunflower-2026";

    private readonly List<string> _problems = [];
    private IBrowserContext _context = null!;

    protected BpClubApp App => fixture.App;
    protected IPage Page { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.App.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            TimezoneId = "Europe/Kyiv",
        });
        _context.SetDefaultTimeout(15_000);
        SetDefaultExpectTimeout(15_000);
        Page = await _context.NewPageAsync();
        Page.PageError += (_, error) => _problems.Add("script error: " + error);
        var origin = fixture.App.BaseAddress.GetLeftPart(UriPartial.Authority);
        Page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(origin, StringComparison.Ordinal)
                && !request.Url.StartsWith("data:", StringComparison.Ordinal))
                _problems.Add("request outside the service: " + request.Url);
        };
        Page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) _problems.Add(
                "CSP: " + message.Text);
        };
    }

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        Assert.Empty(_problems);
    }

    /// <summary>Full-page screenshots of the page as it is now, at phone and at desktop width.</summary>
    protected async Task Screenshot(string name)
    {
        foreach (var width in new[] { 390, 1280 })
        {
            await Page.SetViewportSizeAsync(width, width == 390 ? 844 : 800);
            await Page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(fixture.ScreenshotFolder, $"{name}-{width}.png"),
                FullPage = true,
            });
        }
        await Page.SetViewportSizeAsync(390, 844);
    }

    /// <summary>axe-core's WCAG 2 A/AA rules on the page as it is now: nothing serious or critical (labels, contrast,
    /// roles).</summary>
    protected async Task AssertAccessible()
    {
        var results = await Page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa"] },
        });
        var serious = results.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")
            .ToList();
        Assert.Empty(serious);
    }

    protected ILocator Field(string name) => Page.Locator($"input[name='{name}']");

    protected ILocator ErrorFor(string name) => Page.Locator($"[data-error-for='{name}']");

    protected ILocator Button(string text) => Page.GetByRole(AriaRole.Button, new() { Name = text, Exact = true });

    /// <summary>A card issued at a till, registered in the cabinet over HTTP: (card, phone, station key).</summary>
    protected async Task<(string Card, string Phone, string Station)> RegisteredCard()
    {
        var station = await App.NewStationKey();
        var card = await App.IssueCard(station);
        var phone = BpClubApp.NewPhone();
        await App.Register(card, phone, Password);
        return (card, phone, station);
    }

    protected async Task SignIn(string phone, string password = Password)
    {
        await Page.GotoAsync("/#/signin");
        await Field("phone").FillAsync(phone);
        await Field("password").FillAsync(password);
        await Field("password").PressAsync("Enter");
        await Expect(Page.Locator("#available")).ToBeVisibleAsync();
    }

    protected async Task Purchase(string station, string card, string receiptId, decimal litres, decimal amount,
        DateTimeOffset? occurredAt = null)
    {
        var response = await App.Client(station).PostAsJsonAsync("/api/pos/v1/purchases", new
        {
            receiptId, cardNumber = card, paymentMethod = "cash", occurredAt,
            lines = new object[] { new { type = "fuel", productCode = "A95", litres, amount } },
        });
        response.EnsureSuccessStatusCode();
    }

    protected static Regex Text(string pattern) => new(pattern);
}
