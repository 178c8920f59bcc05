using Microsoft.EntityFrameworkCore;
using Payments.Core.Errors;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Auth;

namespace Payments.Server.Features.Payments;

/// <summary>
/// One payment per caller and <c>reference</c> (the host's receipt or order id): a repeated create-intent
/// answers the first payment instead of charging twice; the same reference with another amount is a 409.
/// The UNIQUE index (migration 0013) decides races; the lookup before the provider call only saves a
/// second checkout in the common case.
/// </summary>
public static class PaymentReferences
{
    /// <summary>
    /// Whose references these are. Every service key is the same host application (keys are rotated, and a
    /// rotated key must still find the payment its predecessor started), so they share one scope; a person or
    /// an admin key has their own.
    /// </summary>
    public static string ScopeOf(Caller caller) => caller switch
    {
        { IsService: true } => "service",
        { Partition: { } partition } => partition,
        _ => throw new PaymentsException(ErrorKind.Unauthorized, "Sign in (or use an API key) to pay with a 'reference': it is yours alone."),
    };

    public static Task<Payment?> FindAsync(PaymentsDb db, string scope, string reference, CancellationToken ct) =>
        db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.ReferenceScope == scope && p.Reference == reference, ct);

    public static bool IsDuplicate(Exception e) => DbErrors.IsUniqueViolation(e, "ix_payments_reference", "payments.reference_scope", "payments.reference");

    /// <summary>The first payment's answer, when the repeat asks for the same thing; a 409 naming the first otherwise.</summary>
    public static CreateIntent.Response Repeat(Payment first, Purchase asked)
    {
        if (first.AmountMinor != asked.Price.Minor || first.Currency != asked.Price.Currency.Code || first.Plan != asked.Plan)
            throw new PaymentsException(ErrorKind.Conflict,
                    $"Reference '{first.Reference}' is already payment {first.Id} for {first.Amount.ToDecimalString()} {first.Currency}" +
                    (first.Plan is null ? "" : $" (plan {first.Plan})") + "; use a new reference for a different amount.")
                .With("payment_id", first.Id).With("reference", first.Reference);
        // The client secret of an embedded checkout is not kept; the first answer had it.
        return CreateIntent.ResponseOf(first, clientSecret: null, repeated: true);
    }
}
