using System.Reflection;
using System.Runtime.CompilerServices;

[assembly: AssemblyTitle("Edge.Micro.Interop")]
[assembly: AssemblyDescription("Edge.Micro native kernels for a custom nanoFramework firmware image")]
[assembly: AssemblyProduct("Edge.Micro")]
[assembly: AssemblyVersion("0.1.0.0")]
[assembly: AssemblyFileVersion("0.1.0.0")]

// The native side's version (interop/nanoframework/edge_micro_interop.cpp); bump it when the externs change.
[assembly: AssemblyNativeVersion("1.0.0.0")]
