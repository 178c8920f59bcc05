using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Credits;

/// <summary>Seed 003's referral: a referred user's first completed purchase of at least $10 earns both of them $10 of credits, once.</summary>
public abstract class ReferralTests<TApp>(TApp fixture) : CreditTestsBase<TApp>(fixture) where TApp : AppFixture
{
    [Fact]
    public async Task A_user_has_one_referral_code_that_never_changes()
    {
        var user = NewUser("coder");
        var first = await ReferralCode(user);
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{8}$", first);
        Assert.Equal(first, await ReferralCode(user));
        Assert.NotEqual(first, await ReferralCode(NewUser("other")));
    }

    [Fact]
    public async Task The_first_purchase_of_at_least_10_dollars_pays_the_buyer_and_the_referrer_10_dollars_once()
    {
        var (referrer, buyer) = (NewUser("rita"), NewUser("ben"));
        Assert.Equal(200, (int)(await SetReferral(buyer, (await ReferralCode(referrer)).ToLowerInvariant())).StatusCode); // typed loosely

        await Buy(buyer, package: "starter");
        await Buy(buyer, package: "starter");

        Assert.Equal(1_000 + 1_000 + 1_000, await Balance(buyer));
        Assert.Equal(1_000, await Balance(referrer));
        Assert.Equal(1, await Transactions(buyer, "referral_bonus"));
        // The referrer sees their bonus, not who bought.
        using var client = AsUser(referrer);
        var item = Assert.Single((await (await client.GetAsync("/api/v1/credits/history")).Body()).GetProperty("items").EnumerateArray());
        Assert.Equal(("referral_bonus", 1_000L), (item.Str("kind"), item.GetProperty("amount").GetInt64()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, item.GetProperty("reference").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, item.GetProperty("payment_id").ValueKind);
        await AssertLedgerBalanced();
    }

    [Fact]
    public async Task A_first_purchase_under_10_dollars_uses_up_the_referral()
    {
        var (referrer, buyer) = (NewUser("rudy"), NewUser("cal"));
        await SetReferral(buyer, await ReferralCode(referrer));

        await Buy(buyer, credits: 999);
        await Buy(buyer, package: "pro");

        Assert.Equal(999 + 5_000, await Balance(buyer));
        Assert.Equal(0, await Balance(referrer));
    }

    [Fact]
    public async Task Refunding_the_qualifying_purchase_takes_back_the_buyers_bonus_in_proportion_and_the_referrer_keeps_theirs()
    {
        var (referrer, buyer) = (NewUser("rex"), NewUser("dee"));
        await SetReferral(buyer, await ReferralCode(referrer));
        var paymentId = await Buy(buyer, package: "starter");

        Assert.Equal(200, (int)(await Refund(paymentId, 250)).StatusCode);
        Assert.Equal(2_000 - 250 - 250, await Balance(buyer));
        Assert.Equal(200, (int)(await Refund(paymentId)).StatusCode);
        Assert.Equal(0, await Balance(buyer));
        Assert.Equal(1_000, await Balance(referrer));
        await AssertLedgerBalanced();
    }

    [Fact]
    public async Task A_referral_code_is_set_once_before_the_first_purchase_and_never_ones_own()
    {
        var (referrer, other, user) = (NewUser("ray"), NewUser("oz"), NewUser("eve"));
        var code = await ReferralCode(referrer);

        Assert.Equal(422, (int)(await SetReferral(user, await ReferralCode(user))).StatusCode);
        Assert.Equal(422, (int)(await SetReferral(user, "NOSUCH00")).StatusCode);
        Assert.Equal(200, (int)(await SetReferral(user, code)).StatusCode);
        Assert.Equal(200, (int)(await SetReferral(user, code)).StatusCode); // the same again changes nothing
        Assert.Equal(409, (int)(await SetReferral(user, await ReferralCode(other))).StatusCode);
        using (var client = AsUser(user))
            Assert.Equal(code, (await (await client.GetAsync("/api/v1/credits/referral")).Body()).Str("referred_by_code"));

        var buyer = NewUser("early");
        await Buy(buyer, package: "starter");
        var late = await SetReferral(buyer, code);
        Assert.Equal(409, (int)late.StatusCode);
        Assert.Contains("before the first credit purchase", (await late.Body()).Str("detail"));
    }
}

public sealed class ReferralTests_Sqlite(SqliteAuthApp app) : ReferralTests<SqliteAuthApp>(app);

public sealed class ReferralTests_Postgres(PostgresAuthApp app) : ReferralTests<PostgresAuthApp>(app);
