namespace Harness.Leaks;

public static class DestinationClassNames
{
    public static string ToName(DestinationClass destination) => destination switch
    {
        DestinationClass.Intended => "intended",
        DestinationClass.Vendor => "vendor",
        DestinationClass.ThirdParty => "third-party",
        _ => throw new ArgumentOutOfRangeException(nameof(destination)),
    };
}
