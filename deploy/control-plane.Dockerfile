# syntax=docker/dockerfile:1
# The maas control plane. From the repository root:
#   docker build -f deploy/control-plane.Dockerfile -t maas/control-plane:dev .
ARG JDK_IMAGE=eclipse-temurin:17-jdk-jammy
ARG JRE_IMAGE=eclipse-temurin:17-jre-jammy

# ---- build: Maven and javac live only here ----------------------------------
FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw --batch-mode --no-transfer-progress -pl control-plane -am package -DskipTests
# The health probe is compiled against the service jar's own grpc-java classes.
RUN mkdir -p /out/healthcheck \
 && cp control-plane/target/maas-control-plane.jar /out/maas-control-plane.jar \
 && javac --release 17 -cp /out/maas-control-plane.jar -d /out/healthcheck deploy/healthcheck/GrpcHealthCheck.java

# ---- runtime: a JRE 17 and the jar, nothing else ------------------------------
FROM ${JRE_IMAGE}
RUN groupadd --system --gid 10001 maas \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/maas --no-create-home \
      --shell /usr/sbin/nologin maas \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/maas
COPY --from=build /out/ /opt/maas/
# <data-dir>/artifacts must be shared by every replica (a ReadWriteMany volume).
# Without MAAS_DB_URL the control plane runs an embedded PostgreSQL under the data
# directory: fine for a try, not for more than one replica.
ENV MAAS_DATA_DIR=/var/lib/maas \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
WORKDIR /var/lib/maas
USER 10001:10001
# gRPC (admin API, cluster API, health, reflection) and HTTP (/health, /prometheus).
EXPOSE 7001 7000
# gRPC health (grpc.health.v1.Health/Check "") with the jar's own grpc-java; a port
# changed with MAAS_GRPC_PORT is followed. Kubernetes ignores this and uses its own grpc probes.
HEALTHCHECK --interval=30s --timeout=10s --start-period=90s --retries=3 \
  CMD env -u JAVA_TOOL_OPTIONS java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx32m -XX:-UsePerfData \
      -cp /opt/maas/maas-control-plane.jar:/opt/maas/healthcheck GrpcHealthCheck "127.0.0.1:${MAAS_GRPC_PORT:-7001}" || exit 1
ENTRYPOINT ["java", "-jar", "/opt/maas/maas-control-plane.jar"]
