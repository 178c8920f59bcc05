using Payments.Core.Payments;

namespace Payments.Server.Hosting;

/// <summary>
/// One structured log line, and its counters, for each committed change of money state: a settlement
/// (Information), a conflict (Warning, with the amount we expected and the one the provider reported)
/// and a refused signature (Warning). Called after the commit, so a line always means it happened.
/// Source-generated logging: no boxing or formatting unless the level is enabled.
/// </summary>
public sealed partial class MoneyLog(ILogger<MoneyLog> log, PaymentsMetrics metrics)
{
    public PaymentsMetrics Metrics => metrics;

    /// <summary>A payment row was written for the first time (it may have failed at once).</summary>
    public void Created(string provider, PaymentStatus status)
    {
        metrics.PaymentOutcome(provider, "created");
        if (status == PaymentStatus.Failed) metrics.PaymentOutcome(provider, status.ToWire());
    }

    /// <summary>A provider's report changed a payment (it is <paramref name="status"/> now).</summary>
    public void Settled(string provider, string paymentId, PaymentStatus status, long amount, string currency) =>
        Settled(provider, paymentId, status.ToWire(), amount, currency);

    /// <summary>As above, with the status as the API writes it.</summary>
    public void Settled(string provider, string paymentId, string status, long amount, string currency)
    {
        metrics.PaymentOutcome(provider, status);
        PaymentSettled(log, paymentId, provider, amount, currency, status);
    }

    /// <summary>A provider reported another amount or currency: the payment is conflicted.</summary>
    public void Conflicted(string provider, string paymentId, Core.Money.Money expected, Core.Money.Money? received)
    {
        metrics.PaymentOutcome(provider, PaymentStatus.Conflicted.ToWire());
        metrics.Conflict(provider);
        PaymentConflicted(log, paymentId, provider, expected.Minor, expected.Currency.Code, received?.Minor, received?.Currency.Code);
    }

    /// <summary>A webhook whose signature did not hold. <paramref name="logged"/>: false when the line was held back (a flood).</summary>
    public void BadSignature(string provider, string reason, bool logged)
    {
        metrics.SignatureFailure(provider);
        if (logged) SignatureRefused(log, provider, reason);
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information,
        Message = "Payment {PaymentId} at {Provider} is {Status}: {Amount} {Currency} (minor units)")]
    private static partial void PaymentSettled(ILogger logger, string paymentId, string provider, long amount, string currency, string status);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning,
        Message = "Payment {PaymentId} at {Provider} is conflicted: expected {ExpectedAmount} {ExpectedCurrency}, the provider reported {ReceivedAmount} {ReceivedCurrency} (minor units)")]
    private static partial void PaymentConflicted(ILogger logger, string paymentId, string provider, long expectedAmount, string expectedCurrency,
        long? receivedAmount, string? receivedCurrency);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Refused a webhook from {Provider}: bad signature ({Reason})")]
    private static partial void SignatureRefused(ILogger logger, string provider, string reason);
}
