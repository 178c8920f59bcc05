namespace Payments.Core.Payments;

/// <summary>Where a payment is in its life. Stored and sent on the wire in snake_case.</summary>
public enum PaymentStatus
{
    /// <summary>Our row exists; the provider has not been asked yet (or its answer is not recorded yet).</summary>
    Created,
    /// <summary>A checkout exists at the provider; the customer has not finished it.</summary>
    Pending,
    Succeeded,
    Failed,
    Canceled,
    Expired,
    /// <summary>The provider reported money that does not match what we asked for (amount,
    /// currency, or a payment we had already closed). Needs an operator; never auto-resolved.</summary>
    Conflicted,
    PartiallyRefunded,
    Refunded,
}

public static class PaymentStatusNames
{
    public static string ToWire(this PaymentStatus status) => status switch
    {
        PaymentStatus.Created => "created",
        PaymentStatus.Pending => "pending",
        PaymentStatus.Succeeded => "succeeded",
        PaymentStatus.Failed => "failed",
        PaymentStatus.Canceled => "canceled",
        PaymentStatus.Expired => "expired",
        PaymentStatus.Conflicted => "conflicted",
        PaymentStatus.PartiallyRefunded => "partially_refunded",
        PaymentStatus.Refunded => "refunded",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string? wire, out PaymentStatus status)
    {
        foreach (var candidate in Enum.GetValues<PaymentStatus>())
        {
            if (string.Equals(candidate.ToWire(), wire, StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }
        status = default;
        return false;
    }

    public static PaymentStatus Parse(string wire) =>
        TryParse(wire, out var status) ? status : throw new FormatException($"Unknown payment status '{wire}'.");

    /// <summary>True once money has been taken (and possibly given back in part or whole).</summary>
    public static bool IsPaid(this PaymentStatus status) =>
        status is PaymentStatus.Succeeded or PaymentStatus.PartiallyRefunded or PaymentStatus.Refunded;
}
