/** Types of packed-packages.mjs (for the tests that import it). */
export declare const ROOT: string;
export interface WorkspacePackage {
  name: string;
  version: string;
  dir: string;
}
export interface PackedPackage extends WorkspacePackage {
  tarball: string;
}
export declare function publishablePackages(): WorkspacePackage[];
export declare function packAll(outDir: string): Promise<PackedPackage[]>;
