using System.Reflection;

[assembly: AssemblyTitle("Edge.Micro.Runtime")]
[assembly: AssemblyDescription("Edge.Micro int8 interpreter and managed kernels for .NET nanoFramework")]
[assembly: AssemblyProduct("Edge.Micro")]
[assembly: AssemblyVersion("0.1.0.0")]
[assembly: AssemblyFileVersion("0.1.0.0")]
