namespace Harness.Proxy.Layers;

/// <summary>The named addon events a layer asks its pump to raise (the pump owns the addon pipeline).</summary>
internal enum AddonEvent
{
    RequestHeaders,
    RequestComplete,
    ResponseHeaders,
    ResponseComplete,
}
