using System.Text.Json.Nodes;
using Payments.Core.Errors;
using Payments.Providers.Wallets;

namespace Payments.Providers.Tests.Wallets;

public class WalletTokenTests
{
    private const string StripeToken =
        """{"id":"tok_1N3T00LkdIwHu7ixt44h1F8k","object":"token","card":{"brand":"Visa","last4":"4242","tokenization_method":"android_pay"},"livemode":false,"type":"card","used":false}""";

    private static string PaymentData(string tokenizationType = "PAYMENT_GATEWAY", string token = StripeToken) => new JsonObject
    {
        ["apiVersion"] = 2, ["apiVersionMinor"] = 0,
        ["paymentMethodData"] = new JsonObject
        {
            ["type"] = "CARD", ["description"] = "Visa •••• 4242",
            ["tokenizationData"] = new JsonObject { ["type"] = tokenizationType, ["token"] = token },
        },
    }.ToJsonString();

    [Fact]
    public void Google_Pays_PaymentData_with_gateway_stripe_yields_the_Stripe_token_inside_it() =>
        Assert.Equal("tok_1N3T00LkdIwHu7ixt44h1F8k", WalletToken.StripeTokenId(PaymentData(), "googlepay"));

    [Theory]
    [InlineData(StripeToken)]                          // Google's tokenizationData.token, or Stripe.js's token event (Apple Pay)
    [InlineData("tok_1N3T00LkdIwHu7ixt44h1F8k")]       // the bare id
    [InlineData("  tok_1N3T00LkdIwHu7ixt44h1F8k\n")]
    public void The_Stripe_token_JSON_or_its_bare_id_yields_the_id(string token) =>
        Assert.Equal("tok_1N3T00LkdIwHu7ixt44h1F8k", WalletToken.StripeTokenId(token, "applepay"));

    [Theory]
    [InlineData(null, "needs 'wallet_token'")]
    [InlineData("   ", "needs 'wallet_token'")]
    [InlineData("tok_", "Send Google Pay's PaymentData")]
    [InlineData("tok_abc;DROP", "Send Google Pay's PaymentData")]
    [InlineData("pm_1N3T00LkdIwHu7ix", "Send Google Pay's PaymentData")]
    [InlineData("{\"id\":\"pm_1\",\"object\":\"payment_method\"}", "is a Stripe 'payment_method', not a token")]
    [InlineData("{\"id\":\"btok_1\",\"object\":\"token\",\"type\":\"bank_account\"}", "of type 'bank_account'")]
    [InlineData("{\"id\":42}", "not a Stripe token id")]
    [InlineData("{\"id\":", "not valid JSON")]
    [InlineData("{\"paymentMethodData\":{}}", "Send Google Pay's PaymentData")]
    public void Anything_else_is_refused_as_a_validation_error_saying_what_to_send(string? token, string expected)
    {
        var refused = Assert.Throws<PaymentsException>(() => WalletToken.StripeTokenId(token, "googlepay"));
        Assert.Equal(ErrorKind.Validation, refused.Kind);
        Assert.Contains(expected, refused.Message);
    }

    [Fact]
    public void A_Google_Pay_token_not_made_for_a_gateway_is_refused_naming_the_setting_to_fix()
    {
        var direct = Assert.Throws<PaymentsException>(() => WalletToken.StripeTokenId(PaymentData("DIRECT", "{\"protocolVersion\":\"ECv2\"}"), "googlepay"));
        Assert.Contains("tokenization type PAYMENT_GATEWAY and gateway \"stripe\"", direct.Message);
        var other = Assert.Throws<PaymentsException>(() => WalletToken.StripeTokenId(PaymentData(token: "adyen-opaque-blob"), "googlepay"));
        Assert.Contains("is the gateway \"stripe\"?", other.Message);
    }

    [Fact]
    public void A_token_longer_than_any_wallet_sends_is_refused_before_it_is_parsed()
    {
        var huge = "{\"id\":\"tok_1\",\"pad\":\"" + new string('x', WalletToken.MaxLength) + "\"}";
        Assert.Contains("longer than", Assert.Throws<PaymentsException>(() => WalletToken.StripeTokenId(huge, "googlepay")).Message);
    }
}
