using System.Security.Cryptography;
using System.Text;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Outbox;

namespace Payments.Server.Tests.Docs;

/// <summary>
/// The C# snippet the README gives host developers to verify <c>Payments-Signature</c>: the README's
/// block must be exactly the method below, and the method must accept what the service signs and
/// refuse anything else. So the snippet a host copies is the one that is tested.
/// </summary>
public sealed class ReadmeSignatureSnippetTests
{
    // ---- copied from README.md, "Telling the host application" (kept identical by the first test) ----
    static bool IsFromPayments(string header, byte[] rawBody, string secret, DateTimeOffset now)
    {
        long? t = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2) continue;
            if (kv[0] == "t" && long.TryParse(kv[1], out var ts)) t = ts;
            else if (kv[0] == "v1") signatures.Add(kv[1]);
        }
        if (t is null || Math.Abs(now.ToUnixTimeSeconds() - t.Value) > 300) return false; // replayed or stale
        var signed = Encoding.UTF8.GetBytes($"{t}.").Concat(rawBody).ToArray();
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), Encoding.ASCII.GetBytes(expected)));
    }
    // ---- end of copy ----

    [Fact]
    public void The_readme_snippet_is_the_tested_method()
    {
        var block = Readme.Blocks().Single(b => b.Language == "csharp" && b.Section == "Telling the host application");
        var source = File.ReadAllText(Path.Combine(Path.GetDirectoryName(Readme.Path)!, "tests", "Payments.Server.Tests", "Docs", "ReadmeSignatureSnippetTests.cs"));
        var copy = source.Split("// ---- copied from README.md")[1].Split("// ---- end of copy ----")[0];
        copy = string.Join('\n', copy.Split('\n').Skip(1)); // the marker line's own end
        Assert.Equal(Normalize(block.Text[block.Text.IndexOf("static bool", StringComparison.Ordinal)..]), Normalize(copy));
    }

    [Fact]
    public void The_snippet_accepts_what_the_service_signs_and_refuses_a_changed_body_an_old_signature_or_another_secret()
    {
        var now = DateTimeOffset.UtcNow;
        var endpoint = new WebhookEndpoint { Id = "we_1", Url = "https://h.example/", Events = "[\"*\"]", Secret = "whsec_host" };
        var body = Encoding.UTF8.GetBytes("{\"id\":\"evt_1\",\"type\":\"payment.succeeded\"}");
        var header = WebhookSignature.Sign(endpoint, body, now);

        Assert.True(IsFromPayments(header, body, "whsec_host", now));
        Assert.False(IsFromPayments(header, [.. body, (byte)' '], "whsec_host", now));
        Assert.False(IsFromPayments(header, body, "whsec_other", now));
        Assert.False(IsFromPayments(header, body, "whsec_host", now.AddMinutes(10)));
        Assert.False(IsFromPayments("v1=" + header.Split("v1=")[1], body, "whsec_host", now));
    }

    private static string Normalize(string code) =>
        string.Join('\n', code.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
}
