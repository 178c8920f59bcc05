using Payments.Core.Errors;

namespace Payments.Core.Payments;

/// <summary>
/// What the host application may attach to a payment it starts: its own <c>reference</c> for what
/// is paid, and <c>metadata</c>. The limits are Stripe's (50 keys there, 20 here; 40-character keys;
/// 500-character values), so whatever a host stores with us also fits a provider's dashboard.
/// </summary>
public static class HostFields
{
    public const int MaxMetadataKeys = 20;
    public const int MaxKeyLength = 40;
    public const int MaxValueLength = 500;
    public const int MaxReferenceLength = 200;
    public const int MaxDescriptionLength = 200;

    /// <summary>The largest amount a host may ask for, in minor units: far beyond any provider's own cap, and
    /// far from <see cref="long.MaxValue"/>, so sums of refunds and ledgers never overflow.</summary>
    public const long MaxAmountMinor = 999_999_999_999;

    /// <summary>
    /// An amount the host priced itself: both <c>amount</c> (minor units, 1 to <see cref="MaxAmountMinor"/>) and
    /// <c>currency</c> (an upper-case ISO 4217 code: a lower-case one is refused, never guessed).
    /// </summary>
    public static Money.Money Amount(long? amount, string? currency)
    {
        if (amount is not { } minor || currency is null)
            throw PaymentsException.Validation("An amount of your own needs both 'amount' (minor units, e.g. 12345) and 'currency' (e.g. \"THB\").");
        if (!Money.Currency.TryOfExactCode(currency, out var code))
            throw PaymentsException.Validation($"'currency' must be an upper-case ISO 4217 code this service accepts (e.g. EUR, THB, JPY), not '{currency}'.");
        if (minor is <= 0 or > MaxAmountMinor)
            throw PaymentsException.Validation($"'amount' is in minor units and must be 1 to {MaxAmountMinor}.");
        return new Money.Money(minor, code);
    }

    /// <summary>
    /// A reference is the host's id for what is paid (<c>receipt-17</c>, an order number): 1 to 200
    /// printable characters, no spaces at either end, no control characters. Returned trimmed-checked, not altered.
    /// </summary>
    public static string Reference(string reference)
    {
        if (reference.Length is 0 or > MaxReferenceLength)
            throw PaymentsException.Validation($"'reference' must be 1 to {MaxReferenceLength} characters.");
        if (reference.Trim().Length != reference.Length)
            throw PaymentsException.Validation("'reference' may not start or end with spaces.");
        if (reference.Any(char.IsControl))
            throw PaymentsException.Validation("'reference' may not contain control characters.");
        return reference;
    }

    /// <summary>A line item a person reads on the provider's page and the receipt.</summary>
    public static string Description(string description)
    {
        var trimmed = description.Trim();
        if (trimmed.Length is 0 or > MaxDescriptionLength)
            throw PaymentsException.Validation($"'description' must be 1 to {MaxDescriptionLength} characters.");
        if (trimmed.Any(char.IsControl))
            throw PaymentsException.Validation("'description' may not contain control characters.");
        return trimmed;
    }

    /// <summary>Checks <paramref name="metadata"/> against the limits; keys and values are kept exactly as sent.</summary>
    public static IReadOnlyDictionary<string, string> Metadata(IReadOnlyDictionary<string, string?> metadata)
    {
        if (metadata.Count > MaxMetadataKeys)
            throw PaymentsException.Validation($"'metadata' holds at most {MaxMetadataKeys} keys; it has {metadata.Count}.");
        var checkedMetadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            if (key.Length is 0 or > MaxKeyLength || key.Any(char.IsControl))
                throw PaymentsException.Validation($"'metadata' keys are 1 to {MaxKeyLength} characters without control characters; '{Shorten(key)}' is not.")
                    .With("key", Shorten(key));
            if (value is null)
                throw PaymentsException.Validation($"'metadata.{key}' is null; values are strings (leave the key out instead).").With("key", key);
            if (value.Length > MaxValueLength)
                throw PaymentsException.Validation($"'metadata.{key}' is {value.Length} characters; values are at most {MaxValueLength}.").With("key", key);
            checkedMetadata[key] = value;
        }
        return checkedMetadata;
    }

    private static string Shorten(string key) => key.Length <= MaxKeyLength ? key : key[..MaxKeyLength] + "…";
}
