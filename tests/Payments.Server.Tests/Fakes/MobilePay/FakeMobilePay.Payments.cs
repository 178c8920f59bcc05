using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Payments.Server.Tests.Fakes.MobilePay;

/// <summary>The fake's ePayment rules, as the API documents them.</summary>
public sealed partial class FakeMobilePay
{
    private static readonly HashSet<string> Currencies = ["NOK", "DKK", "EUR"];

    private (int, string) Create(VippsRecordedRequest r)
    {
        JsonNode? body;
        try
        {
            body = r.Json;
        }
        catch (JsonException)
        {
            return Problem(400, "Bad Request", "The request body is not JSON.");
        }
        var currency = (string?)body?["amount"]?["currency"];
        var value = body?["amount"]?["value"]?.GetValue<long>();
        var reference = (string?)body?["reference"];
        var description = (string?)body?["paymentDescription"];
        var returnUrl = (string?)body?["returnUrl"];
        if (currency is null || !Currencies.Contains(currency)) return Problem(400, "Bad Request", $"amount.currency '{currency}' is not NOK, DKK or EUR.");
        if (value is not > 0 || value > 65_000_000) return Problem(400, "Bad Request", $"amount.value {value} is out of range.");
        if ((string?)body!["paymentMethod"]?["type"] != "WALLET") return Problem(400, "Bad Request", "paymentMethod.type must be WALLET (this fake knows WALLET).");
        if (reference is null || !ReferencePattern().IsMatch(reference)) return Problem(400, "Bad Request", $"reference '{reference}' does not match ^[a-zA-Z0-9-]{{8,50}}$.");
        if ((string?)body["userFlow"] != "WEB_REDIRECT") return Problem(400, "Bad Request", "userFlow must be WEB_REDIRECT (this fake knows WEB_REDIRECT).");
        if (!Uri.TryCreate(returnUrl, UriKind.Absolute, out _)) return Problem(400, "Bad Request", "returnUrl is required with WEB_REDIRECT.");
        if (description is not { Length: >= 3 and <= 100 }) return Problem(400, "Bad Request", "paymentDescription must have 3 to 100 characters.");

        lock (State.Gate)
        {
            if (State.Payments.ContainsKey(reference))
                return Problem(409, "Conflict", $"A payment with reference {reference} already exists for this sales unit.");
            var payment = new FakeVippsPayment
            {
                Reference = reference, Currency = currency, Amount = value.Value, ReturnUrl = returnUrl!, Description = description,
                Token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), PspReference = FakeMobilePayState.NewPspReference(),
            };
            payment.Events.Add(new FakeVippsEvent("CREATED", payment.PspReference, payment.Amount, r.Header("Idempotency-Key"), true, DateTimeOffset.UtcNow));
            State.Payments[reference] = payment;
            return (201, new JsonObject { ["redirectUrl"] = $"{BaseAddress}landing?token={payment.Token}", ["reference"] = reference }.ToJsonString());
        }
    }

    private (int, string) Read(string reference)
    {
        lock (State.Gate)
            return State.Payments.TryGetValue(reference, out var p)
                ? (200, FakeMobilePayState.Render(p, landing: BaseAddress).ToJsonString())
                : Problem(404, "Not Found", $"No payment with reference {reference}.");
    }

    /// <summary>The modificationAmount of a capture or refund, in the payment's currency.</summary>
    private static (long? Value, (int, string)? Error) Modification(VippsRecordedRequest r, FakeVippsPayment p)
    {
        JsonNode? amount;
        try
        {
            amount = r.Json?["modificationAmount"];
        }
        catch (JsonException)
        {
            return (null, Problem(400, "Bad Request", "The request body is not JSON."));
        }
        if ((string?)amount?["currency"] != p.Currency) return (null, Problem(400, "Bad Request", $"modificationAmount.currency must be {p.Currency}."));
        return amount?["value"]?.GetValue<long>() is > 0 and var value ? (value, null) : (null, Problem(400, "Bad Request", "modificationAmount.value must be positive."));
    }

    private (int, string) Capture(string reference, VippsRecordedRequest r)
    {
        lock (State.Gate)
        {
            if (!State.Payments.TryGetValue(reference, out var p)) return Problem(404, "Not Found", $"No payment with reference {reference}.");
            var (value, error) = Modification(r, p);
            if (error is { } bad) return bad;
            if (p.State != "AUTHORIZED") return Problem(400, "Bad Request", $"The payment is {p.State}; only AUTHORIZED payments can be captured.");
            if (value > p.Authorized - p.Captured - p.Cancelled) return Problem(400, "Capture amount too high", "The capture exceeds the remaining authorized amount.");
            p.Captured += value!.Value;
            return Modified(p, "CAPTURED", value.Value, r.Header("Idempotency-Key"));
        }
    }

    private (int, string) Refund(string reference, VippsRecordedRequest r)
    {
        lock (State.Gate)
        {
            if (!State.Payments.TryGetValue(reference, out var p)) return Problem(404, "Not Found", $"No payment with reference {reference}.");
            var (value, error) = Modification(r, p);
            if (error is { } bad) return bad;
            if (value > p.Captured - p.Refunded) return Problem(400, "Refund amount too high", "The refund exceeds the captured amount not yet refunded.");
            p.Refunded += value!.Value;
            return Modified(p, "REFUNDED", value.Value, r.Header("Idempotency-Key"));
        }
    }

    private (int, string) Cancel(string reference, VippsRecordedRequest r)
    {
        lock (State.Gate)
        {
            if (!State.Payments.TryGetValue(reference, out var p)) return Problem(404, "Not Found", $"No payment with reference {reference}.");
            if (p.State is not ("CREATED" or "AUTHORIZED")) return Problem(400, "Bad Request", $"The payment is {p.State}; it cannot be cancelled.");
            var released = p.State == "CREATED" ? 0 : p.Authorized - p.Captured - p.Cancelled;
            p.Cancelled += released;
            // Cancelled before anything was captured, the payment is over; after a partial capture only the rest is released.
            if (p.Captured == 0) p.State = "TERMINATED";
            return Modified(p, p.State == "TERMINATED" && released == 0 ? "TERMINATED" : "CANCELLED", released, r.Header("Idempotency-Key"));
        }
    }

    /// <summary>Records the operation, queues its webhook, and answers as the adjust endpoints do (the payment with the operation's pspReference).</summary>
    private (int, string) Modified(FakeVippsPayment p, string name, long amount, string? idempotencyKey)
    {
        var e = new FakeVippsEvent(name, FakeMobilePayState.NewPspReference(), amount, idempotencyKey, true, DateTimeOffset.UtcNow);
        p.Events.Add(e);
        QueueWebhooks(p, e);
        return (200, FakeMobilePayState.Render(p, e.PspReference).ToJsonString());
    }

    /// <summary>The customer approves (or aborts) in the app; the authorization's webhook goes out before the answer, as the landing page's POST does.</summary>
    public IReadOnlyList<VippsDelivery> Authorize(string reference, bool approve = true)
    {
        lock (State.Gate)
        {
            var p = State.Payments[reference];
            if (p.State != "CREATED") throw new InvalidOperationException($"Payment {reference} is {p.State}.");
            p.State = approve ? "AUTHORIZED" : "ABORTED";
            if (approve) p.Authorized = p.Amount;
            var e = new FakeVippsEvent(approve ? "AUTHORIZED" : "ABORTED", FakeMobilePayState.NewPspReference(), p.Amount, null, true, DateTimeOffset.UtcNow);
            p.Events.Add(e);
            return Webhooks(p, e);
        }
    }

    /// <summary>The payment timed out in the app (Vipps's own expiry).</summary>
    public IReadOnlyList<VippsDelivery> Expire(string reference)
    {
        lock (State.Gate)
        {
            var p = State.Payments[reference];
            p.State = "EXPIRED";
            var e = new FakeVippsEvent("EXPIRED", FakeMobilePayState.NewPspReference(), p.Amount, null, true, DateTimeOffset.UtcNow);
            p.Events.Add(e);
            return Webhooks(p, e);
        }
    }

    /// <summary>A refund made in Vipps's merchant portal, not through the service; its webhook is queued.</summary>
    public void RefundElsewhere(string reference, long amount)
    {
        lock (State.Gate)
        {
            var p = State.Payments[reference];
            if (amount > p.Captured - p.Refunded) throw new InvalidOperationException("More than is captured and not refunded.");
            p.Refunded += amount;
            var e = new FakeVippsEvent("REFUNDED", FakeMobilePayState.NewPspReference(), amount, null, true, DateTimeOffset.UtcNow);
            p.Events.Add(e);
            QueueWebhooks(p, e);
        }
    }

    /// <summary>
    /// GET /landing?token=…: the page a browser without the app sees. POST with action=approve or abort does what the
    /// customer does in the app, sends the webhook (and waits for the service's answer), then sends the browser to returnUrl.
    /// </summary>
    private async Task LandingAsync(HttpContext http, VippsRecordedRequest r)
    {
        var token = http.Request.Query["token"].ToString();
        FakeVippsPayment? payment;
        lock (State.Gate) payment = State.Payments.Values.FirstOrDefault(p => p.Token == token);
        if (payment is null)
        {
            http.Response.StatusCode = 404;
            await http.Response.WriteAsync("No such payment.");
            return;
        }
        if (r.Method == "GET")
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync(
                $"<!doctype html><title>Vipps MobilePay</title><h1>Pay {WebUtility.HtmlEncode(payment.Description)}</h1>" +
                $"<p>{payment.Amount / 100}.{payment.Amount % 100:00} {payment.Currency}</p>" +
                $"<form method=\"post\" action=\"/landing?token={token}\"><button name=\"action\" value=\"approve\">Approve</button>" +
                "<button name=\"action\" value=\"abort\">Cancel</button></form>");
            return;
        }
        var action = QueryHelpers(r.Body).GetValueOrDefault("action");
        var deliveries = Authorize(payment.Reference, approve: action == "approve");
        foreach (var delivery in deliveries) LandingDeliveries.Enqueue((delivery, await DeliverAsync(delivery)));
        http.Response.StatusCode = 303;
        http.Response.Headers.Location = payment.ReturnUrl;
    }

    /// <summary>What the landing page sent and how the service answered, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(VippsDelivery Delivery, HttpResponseMessage Response)> LandingDeliveries { get; } = new();

    private static Dictionary<string, string> QueryHelpers(string form) =>
        form.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => p.Length > 1 ? WebUtility.UrlDecode(p[1]) : "");

    [GeneratedRegex("^[a-zA-Z0-9-]{8,50}$")]
    private static partial Regex ReferencePattern();
}
