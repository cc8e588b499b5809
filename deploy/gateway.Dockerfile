# syntax=docker/dockerfile:1
# The maas gateway. From the repository root:
#   docker build -f deploy/gateway.Dockerfile -t maas/gateway:dev .
# Run with --control-plane HOST:7001 (or MAAS_CONTROL_PLANE) and MAAS_CLUSTER_TOKEN.
ARG JDK_IMAGE=eclipse-temurin:17-jdk-jammy
ARG JRE_IMAGE=eclipse-temurin:17-jre-jammy

# ---- build: Maven and javac live only here ----------------------------------
FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw --batch-mode --no-transfer-progress -pl gateway -am package -DskipTests
# The health probe is compiled against the service jar's own grpc-java classes.
RUN mkdir -p /out/healthcheck \
 && cp gateway/target/maas-gateway.jar /out/maas-gateway.jar \
 && javac --release 17 -cp /out/maas-gateway.jar -d /out/healthcheck deploy/healthcheck/GrpcHealthCheck.java

# ---- runtime: a JRE 17 and the jar, nothing else ------------------------------
FROM ${JRE_IMAGE}
RUN groupadd --system --gid 10001 maas \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin maas
COPY --from=build /out/ /opt/maas/
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
# gRPC for tenants (Open Inference Protocol, health, reflection) and Prometheus metrics.
EXPOSE 8001 8002
# gRPC health (grpc.health.v1.Health/Check ""): SERVING once the gateway holds a
# routing snapshot. A port changed with MAAS_PORT is followed. Kubernetes ignores
# this and uses its own grpc probes.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD env -u JAVA_TOOL_OPTIONS java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx32m -XX:-UsePerfData \
      -cp /opt/maas/maas-gateway.jar:/opt/maas/healthcheck GrpcHealthCheck "127.0.0.1:${MAAS_PORT:-8001}" || exit 1
ENTRYPOINT ["java", "-jar", "/opt/maas/maas-gateway.jar"]
