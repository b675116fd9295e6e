using System.Linq.Expressions;

namespace GovernanceDashboard.Domain.Rules;

/// <summary>Where a token's secret can be read back from, the one definition: the escrow copy of its newest open exposure
/// that holds one. None once every exposure closed (closing erases the copy). Validation, revocation of a known value and
/// the blast-radius readers all read the value through it.</summary>
public static class EscrowCopyRule
{
    /// <summary>An exposure that holds an escrow copy: open, with a copy. In a query of a token's exposures:
    /// <c>t.Exposures.AsQueryable().Where(HoldsCopy).OrderByDescending(e => e.Id).Select(e => e.Escrow).FirstOrDefault()</c>
    /// (the newest such exposure's copy).</summary>
    public static readonly Expression<Func<Exposure, bool>> HoldsCopy = e => e.State == ExposureState.Open && e.Escrow != null;
}
