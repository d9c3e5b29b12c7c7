using System.Runtime.CompilerServices;

// Kernel argument structs are internal; ILGPU's generated runtime assembly must see them.
[assembly: InternalsVisibleTo(ILGPU.Context.RuntimeAssemblyName)]
