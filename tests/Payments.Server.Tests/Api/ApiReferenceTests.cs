using System.Net;
using System.Text.RegularExpressions;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Api;

/// <summary>The human-readable reference at /docs: served by the service itself, from its own document.</summary>
public class ApiReferenceTests(SqliteAuthApp fixture) : IClassFixture<SqliteAuthApp>
{
    [Fact]
    public async Task Docs_answers_an_html_page_that_draws_the_service_own_openapi_document()
    {
        using var client = fixture.App.Client();
        var redirect = await client.GetAsync("/docs");
        Assert.True(redirect.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.MovedPermanently, $"{redirect.StatusCode}");

        var page = await client.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("\"openapi/v1.json\"", html);
        Assert.Contains("Payments API reference", html);
    }

    [Fact]
    public async Task Docs_needs_no_third_party_its_scripts_are_served_here_and_fonts_telemetry_are_off()
    {
        using var client = fixture.App.Client();
        var html = await client.GetStringAsync("/docs/");
        var scripts = Regex.Matches(html, "<script[^>]*src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            Assert.DoesNotContain("//", script); // relative: this service, not a CDN
            var asset = await client.GetAsync("/docs/" + script);
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Contains("javascript", asset.Content.Headers.ContentType!.MediaType);
        }
        Assert.Contains("\"withDefaultFonts\":false", html);
        Assert.Contains("\"telemetry\":false", html);
    }
}
