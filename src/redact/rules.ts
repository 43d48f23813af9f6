// Provider token shapes, after gitleaks' default rule set (its rule ids are kept as names),
// trimmed to the shapes a build log, a CI environment dump or a pasted config can hold. Each
// has a fixed prefix or a structure, so none needs an entropy check. `keep` rules keep the
// part before the secret (a webhook's host and path) and mask the rest.

export interface ProviderRule {
  id: string;
  re: RegExp;
  keep?: boolean;
}

export const PROVIDER_RULES: ProviderRule[] = [
  { id: "github-pat", re: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g },
  { id: "gitlab-token", re: /\b(?:glpat|gldt|glrt|glcbt|glptt|glft|glimt|glagent|gloas|glsoat)-[A-Za-z0-9_-]{20,}|\bGR1348941[A-Za-z0-9_-]{20,}/g },
  { id: "slack-token", re: /\b(?:xoxe\.)?xox[a-z]-[A-Za-z0-9-]{10,}|\bxapp-[A-Za-z0-9-]{10,}/g },
  { id: "slack-webhook-url", re: /(?<keep>\bhooks\.slack\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9+/_-]{16,}/g, keep: true },
  { id: "discord-webhook-url", re: /(?<keep>\b(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/(?:v\d+\/)?webhooks\/\d+\/)[\w-]{30,}/g, keep: true },
  { id: "teams-webhook-url", re: /(?<keep>\b[\w-]+\.webhook\.office\.com\/webhookb2\/)[^\s"'<>]{20,}/g, keep: true },
  // Discord bot tokens: base64 user id, timestamp, HMAC.
  { id: "discord-bot-token", re: /\b[MNO][A-Za-z\d_-]{23,27}\.[\w-]{6}\.[\w-]{27,40}\b/g },
  { id: "npm-access-token", re: /\bnpm_[A-Za-z0-9]{30,}/g },
  { id: "dockerhub-pat", re: /\bdckr_(?:pat|oat)_[A-Za-z0-9_-]{20,}/g },
  { id: "aws-access-token", re: /\b(?:AKIA|ASIA|ABIA|ACCA|AROA|AIDA|AGPA|ANPA|APKA)[A-Z0-9]{16}\b/g },
  { id: "gcp-api-key", re: /\bAIza[\w-]{35}(?![\w-])/g },
  { id: "gcp-oauth-token", re: /\bya29\.[\w-]{20,}/g },
  { id: "jwt", re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { id: "openai-api-key", re: /\bsk-(?:proj-|svcacct-|admin-|ant-(?:api\d\d-)?)?[A-Za-z0-9_-]{20,}/g },
  { id: "stripe-access-token", re: /\b(?:sk|rk|pk)_(?:live|test|prod)_[A-Za-z0-9]{16,}|\bwhsec_[A-Za-z0-9]{24,}/g },
  { id: "huggingface-access-token", re: /\bhf_[A-Za-z0-9]{30,}\b/g },
  { id: "pypi-upload-token", re: /\bpypi-[A-Za-z0-9_-]{50,}/g },
  { id: "sendgrid-api-token", re: /\bSG\.[\w-]{20,24}\.[\w-]{39,50}/g },
  { id: "twilio-api-key", re: /\bSK[0-9a-f]{32}\b/g },
  { id: "mailgun-private-api-token", re: /\bkey-[0-9a-z]{32}\b/g },
  { id: "digitalocean-pat", re: /\bdo[opr]_v1_[a-f0-9]{64}\b/g },
  { id: "shopify-token", re: /\bshp(?:at|ss|pa|ca)_[a-fA-F0-9]{32}\b/g },
  { id: "hashicorp-vault-token", re: /\bhv[sbr]\.[\w-]{24,}/g },
  { id: "terraform-cloud-token", re: /\b[a-z0-9]{14}\.atlasv1\.[a-z0-9_=-]{60,70}/gi },
  { id: "databricks-api-token", re: /\bdapi[a-f0-9]{32}(?:-\d)?\b/g },
  { id: "linear-api-key", re: /\blin_api_[a-z0-9]{40}\b/gi },
  { id: "new-relic-user-api-key", re: /\bNRAK-[A-Z0-9]{27}\b/g },
  { id: "postman-api-token", re: /\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b/g },
  { id: "grafana-token", re: /\bgl(?:c|sa)_[A-Za-z0-9+/_=-]{32,}/g },
  { id: "pulumi-api-token", re: /\bpul-[a-f0-9]{40}\b/g },
  { id: "doppler-api-token", re: /\bdp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}\b/g },
  { id: "age-secret-key", re: /\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}\b/g },
  { id: "jfrog-api-key", re: /\bAKCp[A-Za-z0-9]{69}\b/g },
  { id: "alibaba-access-key-id", re: /\bLTAI[A-Za-z0-9]{20}\b/g },
  { id: "azure-ad-client-secret", re: /(?<![\w~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![\w~.-])/g },
  { id: "telegram-bot-api-token", re: /(?<!\d)\d{8,10}:AA[\w-]{33}\b/g },
  { id: "atlassian-api-token", re: /\bATATT3[A-Za-z0-9_=-]{180,}/g },
  { id: "sentry-token", re: /\bsntry[su]_[A-Za-z0-9+/=_-]{40,}/g },
  { id: "buildkite-agent-token", re: /\bbkua_[a-f0-9]{40}\b/g },
  { id: "fly-access-token", re: /\bfo1_[\w-]{43}\b|\bFlyV1 fm\d_[\w+/=,-]{100,}/g },
  { id: "scaleway-secret", re: /\bSCW[A-Z0-9]{17}\b/g },
];
