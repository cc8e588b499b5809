package dev.maas.sdk.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link LivePlatform} parameters (of {@code @BeforeAll} methods, say) with one platform
 * per test JVM, started on first use and closed when all tests have run.
 */
public final class LivePlatformExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LivePlatformExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
    return parameter.getParameter().getType() == LivePlatform.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
    return extension
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(LivePlatform.class, key -> startPlatform(), LivePlatform.class);
  }

  private static LivePlatform startPlatform() {
    try {
      return LivePlatform.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the live platform", e);
    }
  }
}
