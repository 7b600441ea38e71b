# Sourced by run.sh and run-all.sh: which project holds each target and which assemblies sharpfuzz instruments for it.
# TARGET -> "PROJECT ASSEMBLY..."
declare -A FUZZ_TARGETS=(
  [http1-request]="Proxy Harness.Proxy.dll"
  [http1-response]="Proxy Harness.Proxy.dll"
  [har]="Proxy Harness.Flows.dll"
  [h2-frames]="Proxy Harness.Proxy.dll"
  [hpack]="Proxy Harness.Proxy.dll"
  [adb-host]="Adb Harness.Adb.dll"
  [adb-transport]="Adb Harness.VirtualDevice.dll"
  [shell-v2]="Adb Harness.Adb.dll Harness.VirtualDevice.dll"
  [sync]="Adb Harness.Adb.dll Harness.VirtualDevice.dll"
  [uiautomator]="Adb Harness.Adb.dll"
  [scan-decoders]="Leaks Harness.Leaks.dll"
  [canary-file]="Leaks Harness.Leaks.dll"
  [browser-profile-yaml]="Config Harness.Browsers.dll YamlDotNet.dll"
  [scenario-yaml]="Config Harness.Scenarios.dll YamlDotNet.dll"
  [devices-json]="Config Harness.Scenarios.dll"
)
FUZZ_ORDER=(http1-request http1-response har h2-frames hpack adb-host adb-transport shell-v2 sync uiautomator scan-decoders canary-file browser-profile-yaml scenario-yaml devices-json)
