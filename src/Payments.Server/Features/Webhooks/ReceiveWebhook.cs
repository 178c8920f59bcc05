using Microsoft.AspNetCore.Http.Extensions;
using Payments.Core.Errors;
using Payments.Core.Providers;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Webhooks;

/// <summary>
/// <c>POST /api/v1/payment/webhook/{provider}</c>, the one intake for every provider and record type:
/// verify → prepare (the record type's handler, outside any transaction) → record once and dispatch
/// to the handler of the event's record type, in a group-committed batch → acknowledge.
/// <list type="bullet">
/// <item>bad signature → 400 <c>signature_invalid</c>; verified but not an event → 400 <c>malformed_event</c>:
/// nothing is stored, the refusal is counted (<see cref="WebhookRejections"/>);</item>
/// <item>a delivery seen before → 200, nothing changes;</item>
/// <item>amount or currency not ours → payment <c>conflicted</c>, audit, 409;</item>
/// <item>unknown payment, event type or record type → recorded, 200 (a 4xx would only make the provider retry for days).</item>
/// </list>
/// </summary>
public static class ReceiveWebhook
{
    /// <summary>Providers send a few KB; a megabyte is generous and bounds what we buffer and store.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>The outcome answered for a delivery let in but recorded nowhere (see <see cref="WebhookResult.Ignored"/>).</summary>
    public const string Ignored = "ignored";

    /// <param name="PaymentId">The payment it concerned, if any.</param>
    /// <param name="RecordType">What it concerned: payment, subscription, … (snake_case).</param>
    public sealed record Response(bool Received, string Outcome, string? PaymentId, string? Status, string RecordType);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/payment/webhook/{provider}", HandleAsync)
            .WithTags("Webhooks")
            .WithSummary("Provider webhooks (signed; no user auth).")
            .Produces<Response>()
            .ProducesProblem(StatusCodes.Status400BadRequest) // signature_invalid or malformed_event
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge) // over MaxBodyBytes
            .RequireRateLimiting(Limits.RateLimits.Webhook)
            .DisableAntiforgery();

    internal static async Task<IResult> HandleAsync(
        string provider, HttpRequest request, ProviderRegistry providers, WebhookBatcher batcher, WebhookRejections rejections,
        MoneyLog money, TimeProvider clock, CancellationToken ct)
    {
        if (!providers.TryGet<IWebhookProvider>(provider, out var adapter))
            throw PaymentsException.NotFound($"No enabled provider '{provider}' receives webhooks here.");
        return await ReceiveAsync(adapter, request, batcher, rejections, money, clock, ct);
    }

    /// <summary>The intake itself, for any proof of origin (the provider's endpoint secret, or a Connect endpoint's own).</summary>
    internal static async Task<IResult> ReceiveAsync(
        IWebhookProvider adapter, HttpRequest request, WebhookBatcher batcher, WebhookRejections rejections, MoneyLog money,
        TimeProvider clock, CancellationToken ct)
    {
        var body = await ReadBodyAsync(request, ct);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var verdict = await adapter.ReceiveAsync(
            new WebhookRequest(headers, body, clock.GetUtcNow(), request.Method, new Uri(request.GetEncodedUrl())), ct);

        if (!verdict.Verified)
        {
            rejections.Count(adapter.Name, WebhookRejections.SignatureInvalid, verdict.Failure);
            throw new PaymentsException(ErrorKind.SignatureInvalid, verdict.Failure ?? "The webhook could not be verified.");
        }
        if (verdict.Ignored)
        {
            // Unsigned and nothing the provider can be asked about (PayPal without a webhook id): 200, so a real
            // delivery is not retried for days, but nothing a stranger wrote is stored.
            rejections.Count(adapter.Name, WebhookRejections.UnsignedIgnored);
            return Results.Ok(new Response(true, Ignored, null, null, WebhookRecordType.Other.ToWire()));
        }
        if (verdict.Event is null)
        {
            rejections.Count(adapter.Name, WebhookRejections.MalformedEvent);
            throw new PaymentsException(ErrorKind.MalformedEvent, verdict.Failure ?? "The webhook is not an event.");
        }

        var @event = verdict.Event;
        // Handlers are resolved only for the rare event that needs the provider called first (PayPal's
        // approval): on the hot path that would be a handler and its effects built per request for nothing.
        if (@event.NeedsProviderCall &&
            request.HttpContext.RequestServices.GetServices<IWebhookHandler>().FirstOrDefault(h => h.RecordType == @event.RecordType) is { } handler)
            @event = await handler.PrepareAsync(adapter, @event, ct);
        // Prepared events may carry what the provider answered (PayPal's capture): the same rules hold for them.
        if (WebhookEventRules.Problem(@event) is { } problem)
        {
            rejections.Count(adapter.Name, WebhookRejections.MalformedEvent);
            throw new PaymentsException(ErrorKind.MalformedEvent, problem);
        }
        // An unsigned delivery's bytes prove nothing: the row keeps what the provider answered instead.
        var stored = @event.RecordedBody is { } recorded ? System.Text.Encoding.UTF8.GetBytes(recorded) : body;
        var delivery = new WebhookDelivery(adapter.Name, @event, verdict.Method, stored, verdict.Signed);
        var result = await batcher.ApplyAsync(delivery, ct);
        // Queued records (subscriptions, invoices) are fetched and applied now, after the commit, by their feature.
        if (result.Outcome == DeliveryOutcome.Queued &&
            request.HttpContext.RequestServices.GetServices<IWebhookHandler>().FirstOrDefault(h => h.RecordType == @event.RecordType) is { } owner)
            result = await owner.AfterCommitAsync(delivery, result, ct);
        Tell(money, adapter.Name, @event, result); // committed: count and log what changed
        if (result.Problem is { } conflict) throw conflict;

        return Results.Ok(new Response(true, result.Outcome.ToWire(), result.PaymentId, result.Status, @event.RecordType.ToWire()));
    }

    private static void Tell(MoneyLog money, string provider, ProviderEvent e, DeliveryResult result)
    {
        money.Metrics.WebhookReceived(provider, result.Outcome);
        if (result is not { PaymentId: { } paymentId, Amount: { } ours } || e.RecordType != WebhookRecordType.Payment) return;
        if (result.Outcome == DeliveryOutcome.Conflict) money.Conflicted(provider, paymentId, ours, e.Amount);
        else if (result is { Outcome: DeliveryOutcome.Applied, Status: { } status })
            money.Settled(provider, paymentId, status, ours.Minor, ours.Currency.Code);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
            throw new BadHttpRequestException("Webhook body is larger than 1 MB.", StatusCodes.Status413PayloadTooLarge);
        if (request.ContentLength is { } length)
        {
            // The usual case (providers send Content-Length): read straight into a buffer of that size.
            var exact = new byte[length];
            await request.Body.ReadExactlyAsync(exact, ct);
            return exact;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
                throw new BadHttpRequestException("Webhook body is larger than 1 MB.", StatusCodes.Status413PayloadTooLarge);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
