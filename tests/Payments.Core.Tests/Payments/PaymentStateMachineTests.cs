using Payments.Core.Payments;
using static Payments.Core.Payments.PaymentStatus;

namespace Payments.Core.Tests.Payments;

public class PaymentStateMachineTests
{
    private static readonly PaymentStatus[] All = Enum.GetValues<PaymentStatus>();

    /// <summary>Every legal move, written out once more by hand: the table the code must match exactly.</summary>
    private static readonly HashSet<(PaymentStatus, PaymentStatus)> Legal =
    [
        (Created, Pending), (Created, Succeeded), (Created, Failed), (Created, Canceled), (Created, Expired), (Created, Conflicted),
        (Pending, Succeeded), (Pending, Failed), (Pending, Canceled), (Pending, Expired), (Pending, Conflicted),
        (Failed, Succeeded), (Failed, Canceled), (Failed, Expired), (Failed, Conflicted),
        (Canceled, Conflicted), (Expired, Conflicted),
        (Succeeded, PartiallyRefunded), (Succeeded, Refunded),
        (PartiallyRefunded, PartiallyRefunded), (PartiallyRefunded, Refunded),
    ];

    public static TheoryData<PaymentStatus, PaymentStatus> Pairs()
    {
        var data = new TheoryData<PaymentStatus, PaymentStatus>();
        foreach (var from in All)
        foreach (var to in All)
            data.Add(from, to);
        return data;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Only_the_listed_transitions_apply(PaymentStatus from, PaymentStatus to) =>
        Assert.Equal(Legal.Contains((from, to)), PaymentStateMachine.CanMove(from, to));

    [Theory]
    [InlineData(Succeeded, Failed)] [InlineData(Succeeded, Pending)] [InlineData(Succeeded, Canceled)]
    [InlineData(Succeeded, Expired)] [InlineData(Refunded, Succeeded)] [InlineData(Refunded, PartiallyRefunded)]
    [InlineData(Failed, Pending)] [InlineData(Canceled, Pending)] [InlineData(Conflicted, Succeeded)]
    public void Nothing_moves_a_payment_backwards(PaymentStatus from, PaymentStatus to) =>
        Assert.NotEqual(TransitionVerdict.Apply, PaymentStateMachine.Decide(from, to));

    [Theory]
    [InlineData(Canceled)] [InlineData(Expired)]
    public void Money_arriving_for_a_closed_payment_is_a_conflict_not_a_success(PaymentStatus closed) =>
        Assert.Equal(TransitionVerdict.Conflict, PaymentStateMachine.Decide(closed, Succeeded));

    [Theory]
    [InlineData(Succeeded, Succeeded)] [InlineData(Failed, Failed)] [InlineData(PartiallyRefunded, Succeeded)] [InlineData(Refunded, Succeeded)]
    public void Repeating_a_state_is_already_there(PaymentStatus from, PaymentStatus to) =>
        Assert.Equal(TransitionVerdict.AlreadyThere, PaymentStateMachine.Decide(from, to));

    [Fact]
    public void Every_status_has_a_distinct_snake_case_wire_name_that_parses_back()
    {
        var names = All.Select(s => s.ToWire()).ToArray();
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.All(All, s => Assert.Equal(s, PaymentStatusNames.Parse(s.ToWire())));
        Assert.Equal("partially_refunded", PartiallyRefunded.ToWire());
        Assert.False(PaymentStatusNames.TryParse("Succeeded", out _));
    }
}
