import Kernel

/// Until the Starlark config layer lands, every module runs on its defaults.
func loadDeploymentConfig(path: String?, registry: ModuleRegistry) throws -> DeploymentConfig {
    DeploymentConfig.defaults(enabling: registry.manifests.map(\.id), manifests: registry.manifests)
}
