/**
 * @description The one trigger on Avochato_API_Credential__c: hands every event to AvochatoCredentialTriggerHandler.
 */
trigger AvochatoCredentialTrigger on Avochato_API_Credential__c(
    before insert,
    before update,
    after insert,
    after update,
    after undelete
) {
    new AvochatoCredentialTriggerHandler().run();
}
