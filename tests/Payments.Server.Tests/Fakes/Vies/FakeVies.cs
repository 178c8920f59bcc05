using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Payments.Server.Tests.Fakes.Vies;

/// <summary>How the fake answers for one VAT number.</summary>
public abstract record ViesBehaviour
{
    /// <summary>Registered: <c>"valid":true</c>, with a consultation number when the request named a requester.</summary>
    public sealed record Registered(string Name = "ACME GMBH", string Address = "MUSTERSTRASSE 1\n10115 BERLIN") : ViesBehaviour;

    /// <summary>Not registered: <c>"valid":false</c> and nothing else wrong.</summary>
    public sealed record NotRegistered : ViesBehaviour;

    /// <summary>HTTP 200, <c>"valid":false</c> beside <c>"userError":"MS_UNAVAILABLE"</c> (or another code): VIES's most misleading answer.</summary>
    public sealed record UserError(string Code) : ViesBehaviour;

    /// <summary><c>{"actionSucceed":false,"errorWrappers":[{"error":"…"}]}</c> with this HTTP status (VIES uses 200, 400 and 500).</summary>
    public sealed record Wrapped(string Code, int Status = 200) : ViesBehaviour;
}

/// <summary>
/// VIES's REST service on 127.0.0.1: <c>POST /check-vat-number</c> with JSON
/// <c>{countryCode, vatNumber, requesterMemberStateCode, requesterNumber}</c>, answered in VIES's JSON shapes
/// (the check answer with <c>requestIdentifier</c>, <c>userError</c>, the trader fields; or <c>actionSucceed</c> with
/// <c>errorWrappers</c>). Numbers are registered unless <see cref="Answer"/> says otherwise. A request VIES would
/// refuse (Greece as "GR", a prefix left in vatNumber, no JSON) is answered INVALID_INPUT and kept in <see cref="Violations"/>.
/// </summary>
public sealed class FakeVies : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ViesBehaviour> _answers = new(StringComparer.Ordinal);

    public FakeVies() => (_app, BaseAddress) = LoopbackServer.Start(HandleAsync);

    public Uri BaseAddress { get; }

    /// <summary>Every request body received, parsed, in order.</summary>
    public ConcurrentQueue<JsonObject> Requests { get; } = new();

    public ConcurrentQueue<string> Violations { get; } = new();

    /// <summary>From now on, answer this way for <paramref name="vat"/> ("DE123456789", prefix included).</summary>
    public void Answer(string vat, ViesBehaviour behaviour) => _answers[vat] = behaviour;

    /// <summary>Requests about one number.</summary>
    public int RequestsFor(string vat) => Requests.Count(r => $"{r["countryCode"]}{r["vatNumber"]}" == vat);

    private async Task HandleAsync(HttpContext http)
    {
        if (http.Request.Method != "POST" || http.Request.Path != "/check-vat-number")
        {
            http.Response.StatusCode = 404;
            return;
        }
        JsonObject? body = null;
        try
        {
            if (http.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true)
                body = (await JsonNode.ParseAsync(http.Request.Body))?.AsObject();
        }
        catch (JsonException)
        {
        }
        var refusal = body is null ? "the body is not JSON" : Refusal(body);
        if (refusal is not null)
        {
            Violations.Enqueue(refusal);
            await Write(http, 400, Wrapped("INVALID_INPUT"));
            return;
        }
        Requests.Enqueue(body!);

        var country = body!["countryCode"]!.GetValue<string>();
        var number = body["vatNumber"]!.GetValue<string>();
        var requester = body["requesterNumber"]?.GetValue<string>();
        var behaviour = _answers.GetValueOrDefault(country + number) ?? new ViesBehaviour.Registered();
        await (behaviour switch
        {
            ViesBehaviour.Registered registered => Write(http, 200, Check(country, number, true, registered.Name, registered.Address, requester, null)),
            ViesBehaviour.NotRegistered => Write(http, 200, Check(country, number, false, "---", "---", requester, null)),
            ViesBehaviour.UserError error => Write(http, 200, Check(country, number, false, "---", "---", null, error.Code)),
            ViesBehaviour.Wrapped wrapped => Write(http, wrapped.Status, Wrapped(wrapped.Code)),
            _ => throw new InvalidOperationException(behaviour.ToString()),
        });
    }

    private static string? Refusal(JsonObject body)
    {
        var country = body!["countryCode"]?.GetValue<string>();
        var number = body["vatNumber"]?.GetValue<string>();
        if (country is not { Length: 2 } || country == "GR") return $"countryCode '{country}' (Greece is EL)";
        if (string.IsNullOrEmpty(number) || number.StartsWith(country, StringComparison.Ordinal)) return $"vatNumber '{number}' (without the prefix)";
        if ((body["requesterMemberStateCode"] is null) != (body["requesterNumber"] is null)) return "a requester needs both its state and its number";
        return null;
    }

    /// <summary>A check answer as VIES writes it; requestIdentifier is empty unless a requester was named.</summary>
    private static JsonObject Check(string country, string number, bool valid, string name, string address, string? requester, string? userError) => new()
    {
        ["countryCode"] = country, ["vatNumber"] = number, ["requestDate"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"),
        ["valid"] = valid, ["requestIdentifier"] = requester is not null && userError is null ? "WAPI" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant() : "",
        ["userError"] = userError ?? (valid ? "VALID" : "INVALID"), ["name"] = name, ["address"] = address,
        ["traderName"] = "", ["traderStreet"] = "", ["traderPostalCode"] = "", ["traderCity"] = "", ["traderCompanyType"] = "",
        ["traderNameMatch"] = "NOT_PROCESSED", ["traderStreetMatch"] = "NOT_PROCESSED", ["traderPostalCodeMatch"] = "NOT_PROCESSED",
        ["traderCityMatch"] = "NOT_PROCESSED", ["traderCompanyTypeMatch"] = "NOT_PROCESSED",
    };

    private static JsonObject Wrapped(string code) => new()
    {
        ["actionSucceed"] = false, ["errorWrappers"] = new JsonArray(new JsonObject { ["error"] = code, ["message"] = null }),
    };

    private static Task Write(HttpContext http, int status, JsonObject body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(body.ToJsonString());
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
