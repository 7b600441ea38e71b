using Harness.Evidence.Records;

namespace Harness.Scenarios;

/// <summary>
/// A runner verdict as text: its token (suite-results.jsonl, evidence records: pass, fail, inconclusive, n/a) and the
/// word people read (<see cref="CaseVerdicts.Word"/>: LEAK …). Nothing else maps verdicts to text.
/// </summary>
public static class CaseVerdictNames
{
    public static string Token(CaseVerdict verdict) => verdict switch
    {
        CaseVerdict.Pass => CaseVerdicts.Pass,
        CaseVerdict.Fail => CaseVerdicts.Fail,
        CaseVerdict.Inconclusive => CaseVerdicts.Inconclusive,
        _ => CaseVerdicts.NotApplicable,
    };

    /// <summary>The verdict of a token; an unknown token is inconclusive (never read as a pass).</summary>
    public static CaseVerdict FromToken(string? token) => token switch
    {
        CaseVerdicts.Pass => CaseVerdict.Pass,
        CaseVerdicts.Fail => CaseVerdict.Fail,
        CaseVerdicts.NotApplicable => CaseVerdict.NotApplicable,
        _ => CaseVerdict.Inconclusive,
    };

    /// <summary>pass, LEAK, inconclusive, n/a: progress lines and the summary table.</summary>
    public static string Word(CaseVerdict verdict) => CaseVerdicts.Word(Token(verdict));

    /// <summary>What a test message starts with: LEAK, inconclusive, not applicable, pass.</summary>
    public static string Phrase(CaseVerdict verdict) => CaseVerdicts.Phrase(Token(verdict));

    /// <summary>Which verdict of one cell across phones the summary shows: a leak anywhere beats the rest.</summary>
    public static int Severity(CaseVerdict verdict) => verdict switch
    {
        CaseVerdict.Fail => 4,
        CaseVerdict.Inconclusive => 3,
        CaseVerdict.Pass => 2,
        _ => 1,
    };
}
