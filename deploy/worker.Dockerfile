# syntax=docker/dockerfile:1
# The maas worker, CPU build. From the repository root:
#   docker build -f deploy/worker.Dockerfile -t maas/worker:dev .
# (deploy/worker-gpu.Dockerfile is the CUDA build.)
ARG JDK_IMAGE=eclipse-temurin:17-jdk-jammy
ARG JRE_IMAGE=eclipse-temurin:17-jre-jammy

# ---- build: Maven, javac, zip live only here --------------------------------
FROM ${JDK_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends zip unzip \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw --batch-mode --no-transfer-progress -pl worker -am package -DskipTests
# TensorFlow's native libraries are unpacked here, once, into /opt/maas/native and
# taken out of the jar: the worker loads them from java.library.path (JavaCPP
# pathsFirst) instead of extracting ~700 MB into a cache at every start, which
# also lets it run on a read-only root file system. The health probe is compiled
# against the service jar's own grpc-java classes.
RUN mkdir -p /out/native /out/healthcheck \
 && unzip -q -j worker/target/maas-worker.jar 'org/tensorflow/internal/c_api/linux-*/*' -d /out/native \
 && cp worker/target/maas-worker.jar /out/maas-worker.jar \
 && zip -q -d /out/maas-worker.jar 'org/tensorflow/internal/c_api/linux-*' \
 && javac --release 17 -cp /out/maas-worker.jar -d /out/healthcheck deploy/healthcheck/GrpcHealthCheck.java

# ---- runtime: a JRE 17 and the jar, nothing else ------------------------------
FROM ${JRE_IMAGE}
RUN groupadd --system --gid 10001 maas \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/cache/maas --no-create-home \
      --shell /usr/sbin/nologin maas \
 && install -d -o 10001 -g 10001 -m 0750 /var/cache/maas
COPY --from=build /out/ /opt/maas/
ENV MAAS_CACHE_DIR=/var/cache/maas \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"
WORKDIR /var/cache/maas
USER 10001:10001
# gRPC (inference, health, reflection) and Prometheus metrics.
EXPOSE 9001 9002
# gRPC health (grpc.health.v1.Health/Check "") with the jar's own grpc-java; a port
# changed with MAAS_PORT is followed. Kubernetes ignores this and uses its own grpc probes.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD env -u JAVA_TOOL_OPTIONS java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx32m -XX:-UsePerfData \
      -cp /opt/maas/maas-worker.jar:/opt/maas/healthcheck GrpcHealthCheck "127.0.0.1:${MAAS_PORT:-9001}" || exit 1
ENTRYPOINT ["java", "-Dorg.bytedeco.javacpp.pathsFirst=true", "-Dorg.bytedeco.javacpp.cacheLibraries=false", "-Djava.library.path=/opt/maas/native", "-jar", "/opt/maas/maas-worker.jar"]
