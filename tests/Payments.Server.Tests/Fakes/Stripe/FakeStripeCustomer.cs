using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Payments.Server.Tests.Fakes.Stripe;

/// <summary>An event Stripe would send: the exact bytes that get signed.</summary>
public sealed record FakeEvent(string Id, string Type, byte[] Body)
{
    public override string ToString() => $"{Type} {Id}";
}

/// <summary>What customers do on Stripe's side, the events that follows, and their signed delivery.</summary>
public sealed partial class FakeStripe
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly ConcurrentQueue<FakeEvent> _events = new();
    private readonly HttpClient _webhooks = new();

    /// <summary>Every event produced so far, in order.</summary>
    public IReadOnlyList<FakeEvent> Events => _events.ToList();

    public FakeEvent LastEvent(string type) => _events.Last(e => e.Type == type);

    /// <summary>A card payment on the Checkout page: Stripe completes the session and emits its events.</summary>
    public IReadOnlyList<FakeEvent> Pay(string sessionId)
    {
        lock (_state)
        {
            var session = OpenSession(sessionId);
            var intent = IntentOf(session);
            var charge = Succeed(intent);
            session.Status = "complete";
            session.PaymentStatus = "paid";
            return [Emit("charge.succeeded", RenderCharge(charge)), Emit("payment_intent.succeeded", RenderIntent(intent, [])),
                Emit("checkout.session.completed", RenderSession(session, []))];
        }
    }

    /// <summary>A declined card on the Checkout page: the session stays open for another try.</summary>
    public FakeEvent Decline(string sessionId, string declineCode = "insufficient_funds")
    {
        lock (_state) return DeclineIntent(IntentOf(OpenSession(sessionId)), declineCode);
    }

    /// <summary>An asynchronous method (SEPA debit): the session completes unpaid, money follows later.</summary>
    public FakeEvent PayLater(string sessionId)
    {
        lock (_state)
        {
            var session = OpenSession(sessionId);
            IntentOf(session).Status = "processing";
            session.Status = "complete";
            return Emit("checkout.session.completed", RenderSession(session, []));
        }
    }

    /// <summary>The asynchronous method settles, or fails.</summary>
    public FakeEvent SettleLater(string sessionId, bool succeeded)
    {
        lock (_state)
        {
            var session = _sessions[sessionId];
            var intent = _intents[session.IntentId!];
            if (!succeeded)
            {
                DeclineIntent(intent, "generic_decline");
                return Emit("checkout.session.async_payment_failed", RenderSession(session, []));
            }
            Succeed(intent);
            session.PaymentStatus = "paid";
            return Emit("checkout.session.async_payment_succeeded", RenderSession(session, []));
        }
    }

    /// <summary>The session's time runs out.</summary>
    public FakeEvent Expire(string sessionId)
    {
        lock (_state)
        {
            var session = OpenSession(sessionId);
            session.Status = "expired";
            return Emit("checkout.session.expired", RenderSession(session, []));
        }
    }

    /// <summary>The embedded card form confirms an intent with a good or a declined card.</summary>
    public FakeEvent Confirm(string intentId, string? declineCode = null)
    {
        lock (_state)
        {
            var intent = _intents[intentId];
            if (declineCode is not null) return DeclineIntent(intent, declineCode);
            Succeed(intent);
            return Emit("payment_intent.succeeded", RenderIntent(intent, []));
        }
    }

    public FakeEvent Cancel(string intentId)
    {
        lock (_state)
        {
            var intent = _intents[intentId];
            intent.Status = "canceled";
            intent.CancellationReason = "requested_by_customer";
            return Emit("payment_intent.canceled", RenderIntent(intent, []));
        }
    }

    /// <summary>The PaymentIntent behind a session (created when the customer first submits payment).</summary>
    public string IntentIdOf(string sessionId)
    {
        lock (_state) return _sessions[sessionId].IntentId ?? throw new InvalidOperationException($"{sessionId} has no PaymentIntent yet.");
    }

    /// <summary>How many Checkout Sessions exist for one of our payments (idempotency must keep it at one).</summary>
    public int SessionsFor(string clientReferenceId)
    {
        lock (_state) return _sessions.Values.Count(s => s.ClientReferenceId == clientReferenceId);
    }

    /// <summary>Any event, e.g. types the service does not handle.</summary>
    public FakeEvent Emit(string type, JsonObject dataObject)
    {
        var id = NewId("evt_");
        var envelope = new JsonObject
        {
            ["id"] = id, ["object"] = "event", ["api_version"] = ApiVersion, ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["data"] = new JsonObject { ["object"] = dataObject.DeepClone() }, ["livemode"] = false, ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = NewId("req_"), ["idempotency_key"] = null }, ["type"] = type,
        };
        // Stripe sends pretty-printed JSON; the signature covers these exact bytes.
        var delivery = new FakeEvent(id, type, Encoding.UTF8.GetBytes(envelope.ToJsonString(Indented)));
        _events.Enqueue(delivery);
        return delivery;
    }

    /// <summary>
    /// POSTs the event to the service's Stripe webhook route with <c>Stripe-Signature: t=…,v1=…</c>
    /// computed here independently of the code under test. <paramref name="body"/> replaces the
    /// signed bytes (tampering); <paramref name="secret"/> and <paramref name="signedAt"/> forge or age it.
    /// </summary>
    public async Task<HttpResponseMessage> DeliverAsync(FakeEvent e, DateTimeOffset? signedAt = null, string? secret = null, byte[]? body = null,
        string path = "/api/v1/payment/webhook/stripe")
    {
        var t = (signedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        byte[] signed = [.. Encoding.UTF8.GetBytes(t + "."), .. e.Body];
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret ?? WebhookSecret), signed);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_webhookTarget(), path))
        {
            Content = new ByteArrayContent(body ?? e.Body) { Headers = { ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8") } },
        };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", $"t={t},v1={Convert.ToHexStringLower(mac)}");
        request.Headers.UserAgent.ParseAdd("Stripe/1.0");
        return await _webhooks.SendAsync(request);
    }

    private FakeSession OpenSession(string id)
    {
        var session = _sessions[id];
        if (session.Status != "open") throw new InvalidOperationException($"{id} is {session.Status}, not open.");
        return session;
    }

    /// <summary>Since API 2022-08-01 Checkout creates the PaymentIntent only when the customer submits payment.</summary>
    private FakeIntent IntentOf(FakeSession session)
    {
        if (session.IntentId is { } existing) return _intents[existing];
        var id = NewId("pi_");
        var intent = new FakeIntent
        {
            Id = id, Amount = session.AmountTotal, Currency = session.Currency, Description = session.Name,
            Metadata = new Dictionary<string, string>(session.IntentMetadata), ClientSecret = $"{id}_secret_{NewId("")}",
            Created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
        _intents[id] = intent;
        session.IntentId = id;
        return intent;
    }

    private FakeCharge Succeed(FakeIntent intent)
    {
        var charge = new FakeCharge
        {
            Id = NewId("ch_"), Amount = intent.Amount, Currency = intent.Currency, IntentId = intent.Id,
            Metadata = new Dictionary<string, string>(intent.Metadata),
        };
        _charges[charge.Id] = charge;
        intent.Status = "succeeded";
        intent.AmountReceived = intent.Amount;
        intent.LastPaymentError = null;
        intent.ChargeId = charge.Id;
        return charge;
    }

    private FakeEvent DeclineIntent(FakeIntent intent, string declineCode)
    {
        intent.Status = "requires_payment_method";
        intent.LastPaymentError = new JsonObject
        {
            ["code"] = "card_declined", ["decline_code"] = declineCode, ["doc_url"] = "https://stripe.com/docs/error-codes/card-declined",
            ["message"] = declineCode == "insufficient_funds" ? "Your card has insufficient funds." : "Your card was declined.",
            ["type"] = "card_error",
        };
        return Emit("payment_intent.payment_failed", RenderIntent(intent, []));
    }
}
