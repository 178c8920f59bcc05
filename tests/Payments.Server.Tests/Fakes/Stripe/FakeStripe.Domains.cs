using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Payments.Server.Tests.Fakes.Stripe;

/// <summary>
/// Payment method domains (<c>/v1/payment_method_domains</c>: create, list by domain_name, validate).
/// Apple Pay is active on a domain only when Apple's check finds the association file: the fake
/// does that check by GETting <c>/.well-known/apple-developer-merchantid-domain-association</c> from
/// where <see cref="DomainHosts"/> says the domain is served (the service under test stands in for it)
/// and comparing it with <see cref="DomainAssociationFile"/>, as live mode does.
/// </summary>
public sealed partial class FakeStripe
{
    private readonly ConcurrentDictionary<string, JsonObject> _domains = new();
    private readonly HttpClient _apple = new();

    /// <summary>What Apple expects to find on the domain (Stripe's association file).</summary>
    public string DomainAssociationFile { get; } = "7B227073704964223A22" + Guid.NewGuid().ToString("N").ToUpperInvariant() + "227D";

    /// <summary>Where a domain is really served (the service under test); a domain not listed: Apple finds nothing.</summary>
    public ConcurrentDictionary<string, Uri> DomainHosts { get; } = new();

    private (int, string) PaymentMethodDomains(RecordedRequest r)
    {
        var rest = r.Path["/v1/payment_method_domains".Length..];
        switch (r.Method, rest)
        {
            case ("POST", ""):
                if (Unknown(r, ["domain_name", "enabled"]) is { } unknown) return unknown;
                if (r["domain_name"] is not { Length: > 0 } name) return Invalid("domain_name", "Missing required param: domain_name.", "parameter_missing");
                if (_domains.Values.Any(d => d["domain_name"]!.GetValue<string>() == name))
                    return Invalid("domain_name", $"A payment method domain for {name} already exists.", "resource_already_exists");
                var domain = new JsonObject
                {
                    ["id"] = NewId("pmd_"), ["object"] = "payment_method_domain", ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                    ["domain_name"] = name, ["enabled"] = r["enabled"] != "false", ["livemode"] = false,
                    ["google_pay"] = Active(), ["link"] = Active(), ["paypal"] = Active(),
                };
                domain["apple_pay"] = CheckWithApple(name);
                _domains[domain["id"]!.GetValue<string>()] = domain;
                return (200, domain.ToJsonString());
            case ("GET", ""):
                if (Unknown(r, ["domain_name", "enabled", "limit", "starting_after", "ending_before"]) is { } unknownList) return unknownList;
                var found = _domains.Values.Where(d => r["domain_name"] is not { } wanted || d["domain_name"]!.GetValue<string>() == wanted)
                    .Select(d => (JsonNode)d.DeepClone()).ToArray();
                return (200, new JsonObject
                {
                    ["object"] = "list", ["data"] = new JsonArray(found), ["has_more"] = false, ["url"] = "/v1/payment_method_domains",
                }.ToJsonString());
            case ("POST", var validate) when validate.EndsWith("/validate", StringComparison.Ordinal):
                if (Unknown(r, []) is { } unknownValidate) return unknownValidate;
                var id = validate[1..^"/validate".Length];
                if (!_domains.TryGetValue(id, out var existing))
                    return (404, StripeError("invalid_request_error", "resource_missing", $"No such payment_method_domain: '{id}'", "id"));
                existing["apple_pay"] = CheckWithApple(existing["domain_name"]!.GetValue<string>());
                return (200, existing.ToJsonString());
            default:
                return (404, StripeError("invalid_request_error", null, $"Unrecognized request URL ({r.Method}: {r.Path})."));
        }
    }

    private static JsonObject Active() => new() { ["status"] = "active" };

    private JsonObject CheckWithApple(string domain)
    {
        string? served = null;
        if (DomainHosts.TryGetValue(domain, out var host))
        {
            using var response = _apple.GetAsync(new Uri(host, "/.well-known/apple-developer-merchantid-domain-association")).GetAwaiter().GetResult();
            if (response.IsSuccessStatusCode) served = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        }
        return served == DomainAssociationFile
            ? Active()
            : new JsonObject
            {
                ["status"] = "inactive",
                ["status_details"] = new JsonObject
                {
                    ["error_message"] = "We could not verify the domain: the file at /.well-known/apple-developer-merchantid-domain-association " +
                                        "was not found or does not match.",
                },
            };
    }
}
