from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "zhifa.evidence"
    label = "evidence"
    verbose_name = "证据与音像记录"

    def ready(self) -> None:
        from zhifa.evidence.rules import register_permissions

        register_permissions()

        from zhifa.evidence.targets import register_target
        from zhifa.org.permissions import CHANGE_PARTY

        register_target("org.party", [CHANGE_PARTY])  # 当事人 (a party belongs to no agency)

        from zhifa.evidence.labels import register as register_record_labels

        register_record_labels()

        from zhifa.evidence.references import register as register_references

        register_references()

        from zhifa.evidence import record_parts

        record_parts.register()  # the files' check, the evidence on record pages, the case bundle export
