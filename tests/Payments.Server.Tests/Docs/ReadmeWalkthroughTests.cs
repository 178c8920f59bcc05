using System.Text.RegularExpressions;

namespace Payments.Server.Tests.Docs;

/// <summary>
/// The README works as written: its first commands are the ones a newcomer needs, and the curl
/// walkthrough, copied as it stands (<see cref="ReadmeWalkthrough"/> says how), pays, verifies and
/// fetches the receipt from a freshly started service.
/// </summary>
public class ReadmeWalkthroughTests(WalkthroughServer server) : IClassFixture<WalkthroughServer>
{
    [Fact]
    public void The_first_block_runs_the_service_and_the_second_runs_every_test_and_every_block_names_its_language()
    {
        var blocks = Readme.Blocks();
        Assert.Equal("dotnet run -c Release --project src/Payments.Server", blocks[0].Text.Trim());
        Assert.Equal("./scripts/test.sh", blocks[1].Text.Trim());
        Assert.All(blocks, b => Assert.False(b.Language.Length == 0, $"A code block in '{b.Section}' has no language tag:\n{b.Text}"));
    }

    [Fact]
    public async Task The_curl_walkthrough_pays_verifies_and_fetches_the_receipt_as_written()
    {
        var walkthrough = ReadmeWalkthrough.Parse(File.ReadAllText(Readme.Path));
        Assert.True(walkthrough.ServerSettings.ContainsKey("ADMIN_API_KEY"), "The walkthrough starts the service with the credential step 4 uses.");
        Assert.DoesNotContain(":5080", walkthrough.Script(server.BaseAddress)); // every URL is the documented base, so none reaches another server

        var run = await walkthrough.RunAsync(server.BaseAddress, server.WorkingDirectory);
        var dir = run.WorkingDirectory;

        Assert.True(run.ExitCode == 0, run + "\n--- service ---\n" + server.Log);
        Assert.Equal(3, run.OutputByBlock.Count);
        InOrder(run, run.OutputByBlock[0],
            @"""payment_id"":""pay_\w+""", @"""provider"":""dummy""", @"""status"":""pending""", // 1. create-intent
            @"HTTP/1\.1 303 See Other", @"(?i)location: /payments/thanks\?payment_id=pay_\w+",     // 2. the dummy's page
            @"""status"":""succeeded""");                                                          // 3. verify
        InOrder(run, run.OutputByBlock[1], @"""receipt_number"":""R-", @"""status"":""succeeded""", @"""amount_display"":""19.00 EUR""");
        Assert.Contains("19.00 EUR", await File.ReadAllTextAsync(Path.Combine(dir, "receipt.html")));
        var pdf = Assert.Single(Directory.GetFiles(dir, "receipt-R-*.pdf"));
        Assert.StartsWith("%PDF-", File.ReadAllText(pdf)[..5]);
        InOrder(run, run.OutputByBlock[2],                                                         // 5. the host's own amount
            @"""amount"":12345", @"""currency"":""THB""", @"""reference"":""receipt-17""", @"""metadata"":\{""orderId"":""o-17""\}",
            @"""items"":\[\{""payment_id"":""pay_\w+""", @"""reference"":""receipt-17""", @"""redirect_url"":""http");
    }

    [Theory]
    [InlineData("/api/v1/payment/verify", "/api/v1/payment/verify-payment")] // a route that moved
    [InlineData("outcome=succeeded", "result=succeeded")]                      // a form field that was renamed
    [InlineData("\"role\":\"service\"", "\"role\":\"user\"")]                  // not a service key: it may not name an amount
    [InlineData("ADMIN_KEY=walkthrough-admin-key-change-me", "ADMIN_KEY=another-key-of-24-characters")] // not the service's key
    public async Task A_walkthrough_that_drifted_from_the_service_fails(string documented, string drifted)
    {
        var readme = File.ReadAllText(Readme.Path);
        Assert.Contains(documented, readme);
        var walkthrough = ReadmeWalkthrough.Parse(readme.Replace(documented, drifted, StringComparison.Ordinal));

        var run = await walkthrough.RunAsync(server.BaseAddress, server.WorkingDirectory);

        Assert.True(run.ExitCode != 0, run.ToString());
    }

    private static void InOrder(WalkthroughRun run, string output, params string[] patterns)
    {
        var at = 0;
        foreach (var pattern in patterns)
        {
            var match = new Regex(pattern).Match(output, at);
            Assert.True(match.Success, $"Expected /{pattern}/ after position {at} of the block's output.\n{run}");
            at = match.Index + match.Length;
        }
    }
}
