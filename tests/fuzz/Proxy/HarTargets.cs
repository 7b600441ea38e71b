using Harness.Core;
using Harness.Flows;

namespace Harness.Fuzz;

/// <summary>HAR files given to `harness scan`: every rejection must be a <see cref="BadInputException"/>; a HAR that
/// is read must write back out (the evidence bundle re-exports it).</summary>
public static class HarTargets
{
    public static void Read(byte[] input)
    {
        List<Flow> flows;
        try
        {
            using var stream = new MemoryStream(input, writable: false);
            flows = HarReader.Read(stream, "fuzz.har");
        }
        catch (BadInputException e)
        {
            _ = e.Describe();
            return;
        }
        using var output = new MemoryStream();
        HarWriter.Write(flows, output);
    }
}
