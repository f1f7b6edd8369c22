package stack

import "fmt"

// fakeNode is managed by KWOK (annotation) and carries no taint, so every pod can land on it.
const fakeNode = `apiVersion: v1
kind: Node
metadata:
  name: ` + FakeNodeName + `
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/hostname: ` + FakeNodeName + `
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
`

// capsuleObjects: v0.14.0 panics without spec.admission; its webhooks are not registered with the API
// server (the URLs are never called), and TLS reconciliation is off because the sandbox gives the
// controller its certificate.
const capsuleObjects = `apiVersion: v1
kind: Namespace
metadata:
  name: ` + CapsuleNamespace + `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: capsule
  namespace: ` + CapsuleNamespace + `
---
apiVersion: capsule.clastix.io/v1beta2
kind: CapsuleConfiguration
metadata:
  name: ` + CapsuleConfigName + `
spec:
  enableTLSReconciler: false
  users:
  - kind: Group
    name: ` + TenantOwnerGroup + `
  admission:
    mutating:
      name: capsule-mutating-webhook-configuration
      client:
        url: https://127.0.0.1:19443/mutate
    validating:
      name: capsule-validating-webhook-configuration
      client:
        url: https://127.0.0.1:19443/validate
---
apiVersion: capsule.clastix.io/v1beta2
kind: Tenant
metadata:
  name: ` + TenantName + `
spec:
  owners:
  - kind: Group
    name: ` + TenantOwnerGroup + `
`

func tenantNamespace(name, tenantUID string) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Namespace
metadata:
  name: %s
  labels:
    %s: %s
  ownerReferences:
  - apiVersion: capsule.clastix.io/v1beta2
    kind: Tenant
    name: %s
    uid: %s
    controller: true
    blockOwnerDeletion: true
`, name, TenantLabel, TenantName, TenantName, tenantUID)
}

// ProxyUsernameClaim is the claim the sandbox's capsule-proxy reads as the user name: the one the
// API server maps to the username (its --oidc-username-claim default, preferred_username, would
// only agree by chance).
const ProxyUsernameClaim = "email"

// proxyObjects are what a capsule-proxy Helm install leaves (besides the Secret): the pod runs on the
// KWOK node and its port 9001 is forwarded to the stand-in.
const proxyObjects = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: capsule-proxy
  namespace: ` + CapsuleNamespace + `
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: capsule-proxy
  namespace: ` + CapsuleNamespace + `
  labels:
    app.kubernetes.io/name: capsule-proxy
    app.kubernetes.io/instance: capsule-proxy
    app.kubernetes.io/component: proxy
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: capsule-proxy
      app.kubernetes.io/instance: capsule-proxy
      app.kubernetes.io/component: proxy
  template:
    metadata:
      labels:
        app.kubernetes.io/name: capsule-proxy
        app.kubernetes.io/instance: capsule-proxy
        app.kubernetes.io/component: proxy
    spec:
      serviceAccountName: capsule-proxy
      containers:
      - name: capsule-proxy
        image: ghcr.io/projectcapsule/capsule-proxy:v0.14.0
        args: ["--enable-ssl=true", "--ssl-cert-path=/opt/capsule-proxy/tls.crt", "--ssl-key-path=/opt/capsule-proxy/tls.key",
          "--oidc-username-claim=` + ProxyUsernameClaim + `"]
        ports:
        - {name: proxy, containerPort: 9001}
        - {name: probe, containerPort: 8081}
        volumeMounts:
        - {name: certs, mountPath: /opt/capsule-proxy}
      volumes:
      - name: certs
        secret: {secretName: ` + ProxySecretName + `}
---
apiVersion: v1
kind: Service
metadata:
  name: ` + ProxyServiceName + `
  namespace: ` + CapsuleNamespace + `
  labels:
    app.kubernetes.io/name: capsule-proxy
spec:
  selector:
    app.kubernetes.io/name: capsule-proxy
    app.kubernetes.io/instance: capsule-proxy
    app.kubernetes.io/component: proxy
  ports:
  - {name: proxy, port: 9001, targetPort: 9001, protocol: TCP}
`
