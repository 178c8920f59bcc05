using Payments.Providers.Stripe;

namespace Payments.Providers.Tests.Stripe;

public class StripeFormTests
{
    [Fact]
    public void Nested_keys_keep_readable_brackets_and_values_are_percent_encoded()
    {
        var form = new StripeForm()
            .Add("line_items[0][price_data][unit_amount]", 1900)
            .Add("line_items[0][price_data][product_data][name]", "Pro plan & more, 100% café")
            .Add("success_url", "https://shop.example/thanks?payment_id=pay_1&x=y")
            .Add("skipped", (string?)null)
            .AddMap("metadata", new Dictionary<string, string> { ["plan"] = "pro", ["payment_id"] = "pay_1" });

        Assert.Equal(
            "line_items[0][price_data][unit_amount]=1900" +
            "&line_items[0][price_data][product_data][name]=Pro%20plan%20%26%20more%2C%20100%25%20caf%C3%A9" +
            "&success_url=https%3A%2F%2Fshop.example%2Fthanks%3Fpayment_id%3Dpay_1%26x%3Dy" +
            "&metadata[payment_id]=pay_1&metadata[plan]=pro",
            form.Encode());
    }

    [Fact]
    public void Keys_with_reserved_characters_are_escaped_except_brackets() =>
        Assert.Equal("metadata[a%20b%26c]=1", new StripeForm().Add("metadata[a b&c]", "1").Encode());
}
