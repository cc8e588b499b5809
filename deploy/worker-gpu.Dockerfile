# syntax=docker/dockerfile:1
# The maas worker, GPU build: the `gpu` Maven profile (TensorFlow's CUDA native
# library, linux-x86_64-gpu) on NVIDIA's CUDA + cuDNN runtime. From the repository root:
#   docker build -f deploy/worker-gpu.Dockerfile -t maas/worker-gpu:dev .
# TensorFlow 2.18 (TensorFlow Java 1.1.0) is built against CUDA 12.5 and cuDNN 9.
ARG JDK_IMAGE=eclipse-temurin:17-jdk-jammy
ARG JRE_IMAGE=eclipse-temurin:17-jre-jammy
ARG CUDA_IMAGE=nvidia/cuda:12.5.1-cudnn-runtime-ubuntu22.04

# ---- build: Maven, javac, zip live only here --------------------------------
FROM ${JDK_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends zip unzip \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw --batch-mode --no-transfer-progress -Pgpu -pl worker -am package -DskipTests
# As in worker.Dockerfile: native libraries unpacked once (loaded from
# java.library.path, never extracted at start), health probe compiled here.
RUN mkdir -p /out/native /out/healthcheck \
 && unzip -q -j worker/target/maas-worker.jar 'org/tensorflow/internal/c_api/linux-*/*' -d /out/native \
 && cp worker/target/maas-worker.jar /out/maas-worker.jar \
 && zip -q -d /out/maas-worker.jar 'org/tensorflow/internal/c_api/linux-*' \
 && javac --release 17 -cp /out/maas-worker.jar -d /out/healthcheck deploy/healthcheck/GrpcHealthCheck.java

# ---- the JRE 17 the runtime stage takes (Temurin's, copied whole) ------------
FROM ${JRE_IMAGE} AS jre

# ---- runtime: CUDA runtime libraries + JRE 17 + the jar, nothing else --------
FROM ${CUDA_IMAGE}
ENV JAVA_HOME=/opt/java/openjdk \
    LANG=C.UTF-8
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
RUN groupadd --system --gid 10001 maas \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/cache/maas --no-create-home \
      --shell /usr/sbin/nologin maas \
 && install -d -o 10001 -g 10001 -m 0750 /var/cache/maas
COPY --from=build /out/ /opt/maas/
ENV MAAS_CACHE_DIR=/var/cache/maas \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"
WORKDIR /var/cache/maas
USER 10001:10001
# gRPC (inference, health, reflection) and Prometheus metrics.
EXPOSE 9001 9002
# gRPC health (grpc.health.v1.Health/Check "") with the jar's own grpc-java; a port
# changed with MAAS_PORT is followed. Kubernetes ignores this and uses its own grpc probes.
HEALTHCHECK --interval=30s --timeout=10s --start-period=120s --retries=3 \
  CMD env -u JAVA_TOOL_OPTIONS java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx32m -XX:-UsePerfData \
      -cp /opt/maas/maas-worker.jar:/opt/maas/healthcheck GrpcHealthCheck "127.0.0.1:${MAAS_PORT:-9001}" || exit 1
ENTRYPOINT ["java", "-Dorg.bytedeco.javacpp.pathsFirst=true", "-Dorg.bytedeco.javacpp.cacheLibraries=false", "-Djava.library.path=/opt/maas/native", "-jar", "/opt/maas/maas-worker.jar"]
