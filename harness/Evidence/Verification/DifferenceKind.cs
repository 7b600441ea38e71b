namespace Harness.Evidence.Verification;

public enum DifferenceKind
{
    NotSealed,
    MissingFile,
    ExtraFile,
    ContentChanged,
    SignatureMissing,
    SignatureInvalid,
    PinMismatch,
    RescanUnavailable,
    CaseMissingFromRescan,
    CaseOnlyInRescan,
    VerdictDiffers,
    FindingMissingFromRescan,
    FindingOnlyInRescan,
}
