using System.Text.Json;
using System.Text.RegularExpressions;
using Payments.Core.Errors;

namespace Payments.Providers.Wallets;

/// <summary>
/// The Stripe token (<c>tok_…</c>) inside what a wallet gave the buyer's browser. Accepted as:
/// <list type="bullet">
/// <item>Google Pay's <c>PaymentData</c> (the whole answer of <c>loadPaymentData</c>), whose
/// <c>paymentMethodData.tokenizationData.token</c> is, with gateway <c>stripe</c>, a Stripe token as JSON;</item>
/// <item>that token JSON itself (Google Pay's <c>tokenizationData.token</c>, or Stripe.js's Payment
/// Request <c>token</c> event for Apple Pay): an object whose <c>id</c> is <c>tok_…</c>;</item>
/// <item>the bare <c>tok_…</c> id.</item>
/// </list>
/// Anything else is refused with a validation error (422) that says which of these to send. Only the
/// id is kept: the card details in the token are Stripe's to read, and nothing here stores or logs them.
/// </summary>
public static partial class WalletToken
{
    /// <summary>A PaymentData answer is a few KB; this bounds what we parse.</summary>
    public const int MaxLength = 16 * 1024;

    /// <summary>Stripe's token ids: <c>tok_</c> and letters, digits or underscores (<c>tok_1N3T…</c>, test ones such as <c>tok_visa</c>).</summary>
    [GeneratedRegex("^tok_[A-Za-z0-9_]{1,250}$", RegexOptions.CultureInvariant)]
    private static partial Regex TokenId();

    /// <summary>The <c>tok_…</c> id, or a <see cref="PaymentsException"/> (validation) naming what is wrong.</summary>
    public static string StripeTokenId(string? walletToken, string wallet)
    {
        var text = walletToken?.Trim();
        if (string.IsNullOrEmpty(text))
            throw Refused($"Paying with {wallet} needs 'wallet_token': the token the wallet gave the buyer's browser.", wallet);
        if (text.Length > MaxLength)
            throw Refused($"'wallet_token' is longer than {MaxLength} characters; send the wallet's token, not more.", wallet);
        if (TokenId().IsMatch(text)) return text;
        if (text[0] != '{') throw Refused(Expected, wallet);
        try
        {
            using var json = JsonDocument.Parse(text);
            return FromJson(json.RootElement, wallet, depth: 0);
        }
        catch (JsonException)
        {
            throw Refused("'wallet_token' is not valid JSON. " + Expected, wallet);
        }
    }

    private const string Expected =
        "Send Google Pay's PaymentData (gateway \"stripe\"), the Stripe token JSON inside it (or from Stripe.js for Apple Pay), or its tok_… id.";

    private static string FromJson(JsonElement root, string wallet, int depth)
    {
        if (root.ValueKind != JsonValueKind.Object) throw Refused(Expected, wallet);
        // A Stripe token: {"id":"tok_…","object":"token","type":"card",…}.
        if (root.TryGetProperty("id", out var id))
        {
            if (Text(root, "object") is { } kind && kind != "token")
                throw Refused($"'wallet_token' is a Stripe '{kind}', not a token. " + Expected, wallet);
            if (Text(root, "type") is { } type && type != "card")
                throw Refused($"'wallet_token' is a Stripe token of type '{type}'; a wallet's token is a card token.", wallet);
            return id.ValueKind == JsonValueKind.String && TokenId().IsMatch(id.GetString()!)
                ? id.GetString()!
                : throw Refused("'wallet_token' has an 'id' that is not a Stripe token id (tok_…).", wallet);
        }
        // Google Pay's PaymentData: the token travels as a JSON string inside tokenizationData.
        if (depth == 0 && root.TryGetProperty("paymentMethodData", out var method) && method.ValueKind == JsonValueKind.Object
            && method.TryGetProperty("tokenizationData", out var tokenization) && tokenization.ValueKind == JsonValueKind.Object)
        {
            if (Text(tokenization, "type") is { } type && type != "PAYMENT_GATEWAY")
                throw Refused($"Google Pay's token is of type '{type}'; configure Google Pay with tokenization type PAYMENT_GATEWAY and gateway \"stripe\".", wallet);
            if (Text(tokenization, "token") is not { } inner || !inner.TrimStart().StartsWith('{'))
                throw Refused("Google Pay's tokenizationData.token is not a Stripe token; is the gateway \"stripe\"?", wallet);
            using var token = JsonDocument.Parse(inner);
            return FromJson(token.RootElement, wallet, depth + 1);
        }
        throw Refused(Expected, wallet);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static PaymentsException Refused(string why, string wallet) => PaymentsException.Validation(why).With("provider", wallet);
}
